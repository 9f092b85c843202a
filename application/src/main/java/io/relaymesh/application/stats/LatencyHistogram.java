package io.relaymesh.application.stats;

import io.relaymesh.domain.model.LatencySummary;

import java.util.concurrent.atomic.LongAdder;

/**
 * Latencies in milliseconds counted in fixed buckets, cumulatively since start: exact below 16 ms,
 * then 16 buckets per power of two (each at most 6.25 % wide) up to 2^21 ms (35 min); larger
 * values count in the last bucket. Recording is one {@link LongAdder} increment (no lock, no
 * allocation); a window is the difference of two {@link #counts()} snapshots. Thread-safe.
 */
final class LatencyHistogram {
    private static final int SUB_BITS = 4;
    private static final int SUB_BUCKETS = 1 << SUB_BITS;
    private static final int MAX_EXPONENT = 20;
    static final int BUCKETS = SUB_BUCKETS + (MAX_EXPONENT - SUB_BITS + 1) * SUB_BUCKETS;

    private final LongAdder[] counts = new LongAdder[BUCKETS];

    LatencyHistogram() {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = new LongAdder();
        }
    }

    void record(long millis) {
        counts[index(millis)].increment();
    }

    /** The cumulative count of every bucket now. */
    long[] counts() {
        long[] snapshot = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts[i].sum();
        }
        return snapshot;
    }

    static int index(long millis) {
        if (millis < SUB_BUCKETS) {
            return (int) Math.max(0, millis);
        }
        int exponent = 63 - Long.numberOfLeadingZeros(millis);
        if (exponent > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int sub = (int) (millis >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
        return SUB_BUCKETS + (exponent - SUB_BITS) * SUB_BUCKETS + sub;
    }

    /** The value a bucket stands for: exact below 16 ms, else the middle of the bucket. */
    static double valueOf(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int exponent = (index - SUB_BUCKETS) / SUB_BUCKETS + SUB_BITS;
        int sub = (index - SUB_BUCKETS) % SUB_BUCKETS;
        long width = 1L << (exponent - SUB_BITS);
        long lower = (SUB_BUCKETS + sub) * width;
        return lower + (width - 1) / 2.0;
    }

    /**
     * Percentiles of the latencies counted in {@code window} (per-bucket counts of a window), none
     * above {@code max}, the largest latency of the window.
     */
    static LatencySummary summarize(long[] window, long max) {
        long count = 0;
        for (long c : window) {
            count += c;
        }
        if (count == 0) {
            return LatencySummary.EMPTY;
        }
        double p50 = percentile(window, count, 0.50, max);
        double p95 = percentile(window, count, 0.95, max);
        double p99 = percentile(window, count, 0.99, max);
        return new LatencySummary(p50, Math.max(p50, p95), Math.max(p50, Math.max(p95, p99)),
                Math.max(max, p99), count);
    }

    private static double percentile(long[] window, long count, double p, long max) {
        long rank = Math.max(1, (long) Math.ceil(p * count));
        long seen = 0;
        for (int i = 0; i < window.length; i++) {
            seen += window[i];
            if (seen >= rank) {
                return Math.min(valueOf(i), max);
            }
        }
        return max;
    }
}
