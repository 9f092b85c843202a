package io.relaymesh.adapters.memory;

import io.relaymesh.domain.port.Clock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a sweep of expired entries at most once per interval, piggybacking on writes, so that keys
 * nobody touches again (a user who never comes back) do not pile up and no background thread is
 * needed. Thread-safe: when several writers find a sweep due, exactly one runs it.
 */
final class Sweeper {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private final Clock clock;
    private final long intervalMillis;
    private final Runnable sweep;
    private final AtomicLong nextSweepAt;

    Sweeper(Clock clock, Duration interval, Runnable sweep) {
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
        this.sweep = sweep;
        this.nextSweepAt = new AtomicLong(clock.millis() + intervalMillis);
    }

    /** Sweeps when the interval since the last sweep has passed. */
    void maybeSweep() {
        long now = clock.millis();
        long due = nextSweepAt.get();
        if (now >= due && nextSweepAt.compareAndSet(due, now + intervalMillis)) {
            sweep.run();
        }
    }
}
