package io.relaymesh.domain.model;

/**
 * Delivery latency percentiles over a window, in milliseconds: from an event's publish time to its
 * frame written to a socket. All zero when {@code count} is zero.
 */
public record LatencySummary(double p50, double p95, double p99, double max, long count) {
    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0);

    public LatencySummary {
        if (count < 0 || p50 < 0 || p95 < p50 || p99 < p95 || max < p99 || Double.isNaN(max)) {
            throw new IllegalArgumentException("latency summary must have 0 <= p50 <= p95 <= p99 <= max and count >= 0,"
                    + " got p50=" + p50 + " p95=" + p95 + " p99=" + p99 + " max=" + max + " count=" + count);
        }
    }
}
