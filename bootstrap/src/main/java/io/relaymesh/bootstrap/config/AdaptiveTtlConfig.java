package io.relaymesh.bootstrap.config;

import java.util.Objects;

/**
 * Adaptive TTL settings for the two kinds of lease a pod keeps alive.
 *
 * @param sessionLock for session locks ({@code session:*} keys)
 * @param messageRoute for route registrations ({@code route:*} keys)
 */
public record AdaptiveTtlConfig(AdaptiveTtl sessionLock, AdaptiveTtl messageRoute) {
    public AdaptiveTtlConfig {
        Objects.requireNonNull(sessionLock, "sessionLock");
        Objects.requireNonNull(messageRoute, "messageRoute");
    }
}
