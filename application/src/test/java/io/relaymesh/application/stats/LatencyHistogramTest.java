package io.relaymesh.application.stats;

import io.relaymesh.domain.model.LatencySummary;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {

    @Test
    void smallLatencies_areExact() {
        for (int ms = 0; ms < 16; ms++) {
            assertEquals(ms, LatencyHistogram.index(ms));
            assertEquals(ms, LatencyHistogram.valueOf(ms));
        }
    }

    @Test
    void everyLatency_fallsInABucketThatHoldsIt_atMostSixPercentWide() {
        for (long ms = 16; ms < 2_097_152; ms += 1 + ms / 97) {
            int index = LatencyHistogram.index(ms);
            double value = LatencyHistogram.valueOf(index);
            assertTrue(Math.abs(value - ms) <= ms * 0.0625, ms + " ms in a bucket standing for " + value);
            assertTrue(index == 0 || LatencyHistogram.index(ms - 1) <= index, "buckets grow with the latency");
        }
    }

    @Test
    void hugeAndNegativeLatencies_stayInRange() {
        assertEquals(LatencyHistogram.BUCKETS - 1, LatencyHistogram.index(Long.MAX_VALUE));
        assertEquals(0, LatencyHistogram.index(-5));
    }

    @Test
    void summarize_givesPercentilesOfTheWindow_boundedByItsMax() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 1; i <= 100; i++) {
            histogram.record(i <= 90 ? 2 : 40); // 90 % at 2 ms, 10 % at 40 ms
        }
        histogram.record(1_000);

        LatencySummary summary = LatencyHistogram.summarize(histogram.counts(), 1_000);

        assertEquals(101, summary.count());
        assertEquals(2, summary.p50());
        assertEquals(40.5, summary.p95(), 1.0, "40 ms sits in the 40-41 ms bucket");
        assertEquals(40.5, summary.p99(), 1.0);
        assertEquals(1_000, summary.max());
    }

    @Test
    void summarize_ofAnEmptyWindow_isAllZero() {
        assertEquals(LatencySummary.EMPTY, LatencyHistogram.summarize(new long[LatencyHistogram.BUCKETS], 0));
    }

    @Test
    void summarize_neverReportsAPercentileAboveTheMax() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(983_040); // the lowest value of a bucket that stands for 999,423.5

        LatencySummary summary = LatencyHistogram.summarize(histogram.counts(), 983_040);

        assertEquals(983_040, summary.p50());
        assertEquals(983_040, summary.p99());
        assertEquals(983_040, summary.max());
    }
}
