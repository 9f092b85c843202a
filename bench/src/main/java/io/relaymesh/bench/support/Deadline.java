package io.relaymesh.bench.support;

import java.time.Duration;

/** A point in time a loop must not run past, so that every loop is bounded in time as well as count. Immutable. */
public record Deadline(long atNanos) {

    public static Deadline after(Duration duration) {
        return new Deadline(System.nanoTime() + duration.toNanos());
    }

    public boolean passed() {
        return System.nanoTime() - atNanos >= 0;
    }

    public long remainingMillis() {
        return Math.max(0, (atNanos - System.nanoTime()) / 1_000_000);
    }

    /** The earlier of this deadline and {@code other}. */
    public Deadline min(Deadline other) {
        return atNanos - other.atNanos <= 0 ? this : other;
    }

    /** Sleeps {@code millis}, or less when the deadline comes first; false when interrupted. */
    public boolean sleep(long millis) {
        long wait = Math.min(millis, remainingMillis());
        if (wait <= 0) {
            return true;
        }
        try {
            Thread.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
