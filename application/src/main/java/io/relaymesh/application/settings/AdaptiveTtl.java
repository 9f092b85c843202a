package io.relaymesh.application.settings;

import java.time.Duration;
import java.util.Objects;

/**
 * Activity-based TTL for locks or routes: a key active within {@code activityThreshold} is kept
 * for {@code max}, an idle one for {@code min}, so idle state ages out of Redis sooner while busy
 * keys survive a missed refresh. When disabled the fixed TTL applies.
 */
public record AdaptiveTtl(boolean enabled, Duration min, Duration max, Duration activityThreshold) {
    public AdaptiveTtl {
        Objects.requireNonNull(min);
        Objects.requireNonNull(max);
        Objects.requireNonNull(activityThreshold);
        if (enabled && (min.isNegative() || min.isZero() || max.compareTo(min) < 0)) {
            throw new IllegalArgumentException("adaptive TTL needs 0 < min <= max, got " + min + " and " + max);
        }
    }

    /** Adaptive TTL switched off. */
    public static AdaptiveTtl off() {
        return new AdaptiveTtl(false, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /** The TTL of a key last active at {@code lastActiveNanos} (System.nanoTime), or {@code fixed} when off. */
    public Duration ttl(Duration fixed, long lastActiveNanos, long nowNanos) {
        if (!enabled) {
            return fixed;
        }
        return nowNanos - lastActiveNanos <= activityThreshold.toNanos() ? max : min;
    }

    /** The TTL of a key that is active right now (a new lock or route), or {@code fixed} when off. */
    public Duration initial(Duration fixed) {
        return enabled ? max : fixed;
    }
}
