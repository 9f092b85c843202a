package io.relaymesh.adapters.redis;

import java.time.Duration;
import java.util.Objects;

/** TTL checks shared by the adapters: a non-positive TTL is a caller's bug, caught before Redis sees it. */
final class Ttls {
    /** Redis rejects expiries past the end of its clock; no real TTL comes near ten years. */
    static final long MAX_MILLIS = Duration.ofDays(3650).toMillis();

    private Ttls() {
    }

    /**
     * The TTL in whole milliseconds for {@code PX}/{@code PEXPIRE}; under a millisecond rounds up to one,
     * over {@link #MAX_MILLIS} is clamped to it.
     *
     * @throws IllegalArgumentException when {@code ttl} is zero or negative
     */
    static long positiveMillis(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, got: " + ttl);
        }
        if (ttl.compareTo(Duration.ofMillis(MAX_MILLIS)) > 0) {
            return MAX_MILLIS;
        }
        return Math.max(1, ttl.toMillis());
    }
}
