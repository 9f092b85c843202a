package io.relaymesh.bootstrap.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Activity-based TTL: an entry touched within {@code activityThreshold} is refreshed with
 * {@code maxTtl}, an idle one with {@code minTtl}, so idle entries age out sooner.
 *
 * @param enabled when false the fixed TTL from {@link AppConfig} applies
 * @param minTtl TTL for idle entries
 * @param maxTtl TTL for active entries, at least {@code minTtl}
 * @param activityThreshold how recent the last activity must be to count as active
 */
public record AdaptiveTtl(boolean enabled, Duration minTtl, Duration maxTtl, Duration activityThreshold) {
    public AdaptiveTtl {
        Objects.requireNonNull(minTtl, "minTtl");
        Objects.requireNonNull(maxTtl, "maxTtl");
        Objects.requireNonNull(activityThreshold, "activityThreshold");
    }
}
