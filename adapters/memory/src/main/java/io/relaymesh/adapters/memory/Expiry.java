package io.relaymesh.adapters.memory;

import java.time.Duration;
import java.util.Objects;

/** Turns TTLs into absolute deadlines in epoch milliseconds; a deadline is live while now is before it. */
final class Expiry {
    private Expiry() {
    }

    /**
     * The deadline {@code ttl} after {@code nowMillis}. A TTL under a millisecond rounds up to one, as
     * a Redis {@code PX} would need; a TTL too long to represent saturates instead of wrapping around.
     *
     * @throws IllegalArgumentException when {@code ttl} is zero or negative, which is a caller's bug
     */
    static long deadline(long nowMillis, Duration ttl) {
        long ttlMillis = positiveMillis(ttl);
        long deadline = nowMillis + ttlMillis;
        return deadline < nowMillis ? Long.MAX_VALUE : deadline;
    }

    static boolean isLive(long deadline, long nowMillis) {
        return nowMillis < deadline;
    }

    private static long positiveMillis(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, got: " + ttl);
        }
        try {
            return Math.max(1, ttl.toMillis());
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
