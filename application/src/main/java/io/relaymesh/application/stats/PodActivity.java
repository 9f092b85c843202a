package io.relaymesh.application.stats;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this pod did, counted on the delivery path: events taken for delivery, event frames
 * written and dropped, events forwarded to other pods, and each frame's delivery latency. Every
 * count is a {@link LongAdder} (or accumulator) update: no lock and no allocation per frame, and
 * writers on many threads do not contend on one cache line. Totals only grow; rates and windows
 * are differences of {@link #sample samples}. Thread-safe.
 */
public final class PodActivity {

    /**
     * The totals at one moment.
     *
     * @param maxLatencySincePrevious the largest latency recorded since the previous sample
     */
    record Sample(long atMillis, long events, long frames, long forwarded, long dropped, long[] latencyCounts,
                  long maxLatencySincePrevious) {
    }

    private final LongAdder events = new LongAdder();
    private final LongAdder frames = new LongAdder();
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LatencyHistogram latency = new LatencyHistogram();
    private final LongAccumulator maxLatency = new LongAccumulator(Math::max, 0);

    /** An event this pod took for delivery (consumed from the stream, or published directly). */
    public void eventHandled() {
        events.increment();
    }

    /** An event frame written to a socket. */
    public void frameWritten() {
        frames.increment();
    }

    /** The delivery latency of a written frame: from the event's publish time. */
    public void latency(long millis) {
        long value = Math.max(0, millis);
        latency.record(value);
        maxLatency.accumulate(value);
    }

    /** {@code count} events forwarded to another pod. */
    public void forwarded(int count) {
        forwarded.add(count);
    }

    /** An event frame dropped by back-pressure. */
    public void dropped() {
        dropped.increment();
    }

    /** The totals now; resets the latency maximum, so call it from one sampler only. */
    Sample sample(long atMillis) {
        return new Sample(atMillis, events.sum(), frames.sum(), forwarded.sum(), dropped.sum(), latency.counts(),
                maxLatency.getThenReset());
    }
}
