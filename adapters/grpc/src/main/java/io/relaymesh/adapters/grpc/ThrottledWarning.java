package io.relaymesh.adapters.grpc;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A warning logged at most once per interval, with how many were held back since: refused calls
 * are caused by whoever reaches the port, so one line per call would let them flood the log.
 * Thread-safe.
 */
final class ThrottledWarning {
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    ThrottledWarning(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    /** Logs {@code message} (SLF4J pattern) unless a warning was logged within the interval. */
    void warn(String message, Object... args) {
        long now = System.nanoTime();
        long next = nextNanos.get();
        if ((next != Long.MIN_VALUE && now - next < 0) || !nextNanos.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long held = suppressed.getAndSet(0);
        log.warn(held == 0 ? message : message + " (" + held + " similar warnings held back)", args);
    }
}
