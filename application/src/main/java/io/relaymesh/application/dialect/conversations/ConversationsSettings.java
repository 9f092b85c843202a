package io.relaymesh.application.dialect.conversations;

import java.time.Duration;
import java.util.Objects;

/**
 * The conversations dialect's settings.
 *
 * @param typingExpiry        a typing indicator ends this long after its last renewal
 * @param presenceExpiry      a connection that vanished without a close counts as online this long after its last heartbeat
 * @param idleTimeout         a connection with no client frame for this long is closed
 * @param maxMessageBytes     largest client frame accepted
 * @param authTimeout         the {@code auth} frame must arrive within this
 * @param conversationsClaim  the JWT claim listing the conversations a user may join ({@code "*"}: any)
 * @param allowWithoutClaim   whether a token without that claim may join any conversation (the seed's behaviour)
 */
public record ConversationsSettings(Duration typingExpiry, Duration presenceExpiry, Duration idleTimeout,
                                    int maxMessageBytes, Duration authTimeout, String conversationsClaim,
                                    boolean allowWithoutClaim) {
    public ConversationsSettings {
        Objects.requireNonNull(typingExpiry, "typingExpiry");
        Objects.requireNonNull(presenceExpiry, "presenceExpiry");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(authTimeout, "authTimeout");
        Objects.requireNonNull(conversationsClaim, "conversationsClaim");
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive");
        }
    }

    /** How often idle sockets, heartbeats and lapsed presence are checked: a quarter of the shortest limit, 100 ms to 1 s. */
    public Duration tick() {
        long shortest = Math.min(typingExpiry.toMillis(), Math.min(presenceExpiry.toMillis(), idleTimeout.toMillis()));
        return Duration.ofMillis(Math.max(100, Math.min(1000, shortest / 4)));
    }
}
