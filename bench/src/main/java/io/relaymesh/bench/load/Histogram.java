package io.relaymesh.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A latency histogram in microseconds with the bucket layout of bench/node/lib/histogram.js (exact
 * below 2,048 us, then 1,024 sub-buckets per power of two: at most 0.1 % error), so the sparse counts
 * the Node processes send can be merged here. Not thread-safe.
 */
public final class Histogram {
    private static final int SUB_BITS = 10;
    private static final int SUB = 1 << SUB_BITS;
    private static final int LINEAR = 2 * SUB;
    private static final int BUCKETS = LINEAR + (31 - 11) * SUB;

    private final double[] counts = new double[BUCKETS];
    private long total;
    private double min = Double.POSITIVE_INFINITY;
    private double max;
    private double sum;

    public static Histogram fromJson(JsonNode node) {
        Histogram histogram = new Histogram();
        histogram.add(node);
        return histogram;
    }

    /** Adds the counts of a histogram in the Node form ({total, min, max, sum, counts: [[bucket, n], ...]}). */
    public Histogram add(JsonNode node) {
        if (node == null || node.path("total").asLong() == 0) {
            return this;
        }
        for (JsonNode pair : node.path("counts")) {
            counts[pair.get(0).asInt()] += pair.get(1).asDouble();
        }
        total += node.path("total").asLong();
        min = Math.min(min, node.path("min").asDouble());
        max = Math.max(max, node.path("max").asDouble());
        sum += node.path("sum").asDouble();
        return this;
    }

    public Histogram add(Histogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        sum += other.sum;
        return this;
    }

    /** Counts one value in microseconds. */
    public Histogram record(long micros) {
        long v = Math.max(0, micros);
        int bucket;
        if (v < LINEAR) {
            bucket = (int) v;
        } else {
            int exponent = 63 - Long.numberOfLeadingZeros(v);
            int sub = (int) (v >> (exponent - SUB_BITS)) - SUB;
            bucket = Math.min(BUCKETS - 1, LINEAR + (exponent - 11) * SUB + sub);
        }
        counts[bucket]++;
        total++;
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
        return this;
    }

    public long total() {
        return total;
    }

    public boolean isEmpty() {
        return total == 0;
    }

    /** The nearest-rank percentile in microseconds: the middle of the bucket holding it, never above the max seen. */
    public double percentileMicros(double p) {
        if (total == 0) {
            return Double.NaN;
        }
        double rank = Math.max(1, Math.ceil(p / 100.0 * total));
        double seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, Math.max(min, middleOf(i)));
            }
        }
        return max;
    }

    public double maxMicros() {
        return total == 0 ? Double.NaN : max;
    }

    public double meanMicros() {
        return total == 0 ? Double.NaN : sum / total;
    }

    public double millis(double p) {
        return percentileMicros(p) / 1000.0;
    }

    /** p50/p90/p95/p99/p99.9/max/mean in ms and the count, for the result file. */
    public void summarize(ObjectNode into) {
        into.put("count", total);
        if (total == 0) {
            return;
        }
        into.put("p50_ms", round(millis(50)));
        into.put("p90_ms", round(millis(90)));
        into.put("p95_ms", round(millis(95)));
        into.put("p99_ms", round(millis(99)));
        into.put("p999_ms", round(millis(99.9)));
        into.put("max_ms", round(max / 1000.0));
        into.put("min_ms", round(min / 1000.0));
        into.put("mean_ms", round(sum / total / 1000.0));
    }

    private static double round(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }

    private static double middleOf(int bucket) {
        if (bucket < LINEAR) {
            return bucket;
        }
        int exponent = (bucket - LINEAR) / SUB + 11;
        int sub = (bucket - LINEAR) % SUB;
        double width = Math.pow(2, exponent - SUB_BITS);
        return (SUB + sub) * width + (width - 1) / 2.0;
    }
}
