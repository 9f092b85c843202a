package io.relaymesh.bootstrap.config;

import java.util.Locale;

/**
 * What is done to a slow client: one with more than {@code app.websocket_message_buffer_size}
 * events queued whose socket has stopped draining or whose backlog passed
 * {@code app.websocket_max_backlog_bytes}.
 */
public enum DropPolicy {
    /** Discard its oldest queued events, down to the buffer size, so it never holds up the sender. */
    DROP_OLDEST,
    /** Wait up to {@code app.websocket_block_timeout_ms} for it to catch up, then close it (SlowConsumer). */
    BLOCK;

    /** The name used in the config file: {@code drop_oldest} or {@code block}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
