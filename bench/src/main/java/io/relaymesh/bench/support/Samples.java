package io.relaymesh.bench.support;

import java.util.Arrays;

/**
 * A growable list of long samples (round trips, nanoseconds …) with nearest-rank percentiles.
 * Not thread-safe: one writer, read after it is done (or guard it).
 */
public final class Samples {
    private long[] values = new long[64];
    private int size;

    public void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    /** The {@code index}-th sample in the order added. */
    public long get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return values[index];
    }

    public int count() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public long min() {
        return sorted()[0];
    }

    public long max() {
        return sorted()[size - 1];
    }

    public double mean() {
        long sum = 0;
        for (int i = 0; i < size; i++) {
            sum += values[i];
        }
        return size == 0 ? Double.NaN : (double) sum / size;
    }

    /** The nearest-rank percentile: the smallest sample with at least {@code p} percent of samples at or below it. */
    public long percentile(double p) {
        if (size == 0) {
            throw new IllegalStateException("no samples");
        }
        long[] sorted = sorted();
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.min(size, Math.max(1, rank)) - 1];
    }

    /** The distinct values seen, for round-trip counts that should all be equal. */
    public long distinctCount() {
        return Arrays.stream(sorted()).distinct().count();
    }

    private long[] sorted() {
        if (size == 0) {
            throw new IllegalStateException("no samples");
        }
        long[] copy = Arrays.copyOf(values, size);
        Arrays.sort(copy);
        return copy;
    }
}
