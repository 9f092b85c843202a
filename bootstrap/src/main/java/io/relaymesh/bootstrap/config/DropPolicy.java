package io.relaymesh.bootstrap.config;

import java.util.Locale;

/** What a connection's send queue does when it is full and another event arrives. */
public enum DropPolicy {
    /** Discard the oldest queued event so a slow client never holds up the sender. */
    DROP_OLDEST,
    /** Wait up to {@code app.websocket_block_timeout_ms} for room, then drop the new event. */
    BLOCK;

    /** The name used in the config file: {@code drop_oldest} or {@code block}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
