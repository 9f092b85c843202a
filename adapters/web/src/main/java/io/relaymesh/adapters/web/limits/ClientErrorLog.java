package io.relaymesh.adapters.web.limits;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs errors that clients cause (aborted requests, protocol violations, refusals) at most
 * {@link #MAX_PER_INTERVAL} lines per {@link #INTERVAL_SECONDS} seconds, one line each and never a
 * stack trace: a client must not be able to fill the disk or drown the lines that matter. The next
 * line after a quiet spell says how many were left out. The one helper for such lines. Thread-safe.
 */
public final class ClientErrorLog {
    static final int MAX_PER_INTERVAL = 20;
    static final long INTERVAL_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger("io.relaymesh.client_errors");
    private static final ClientErrorLog SHARED = new ClientErrorLog();

    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    private final AtomicInteger inWindow = new AtomicInteger();
    private final AtomicLong suppressed = new AtomicLong();

    /** The process-wide instance (one budget for all client-caused lines). */
    public static ClientErrorLog shared() {
        return SHARED;
    }

    /** Logs {@code what} (one line, at INFO) unless the budget of this interval is spent; true if logged. */
    public boolean log(String what) {
        long now = System.nanoTime();
        long start = windowStart.get();
        if (now - start > TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS) && windowStart.compareAndSet(start, now)) {
            inWindow.set(0);
        }
        if (inWindow.incrementAndGet() > MAX_PER_INTERVAL) {
            suppressed.incrementAndGet();
            return false;
        }
        long dropped = suppressed.getAndSet(0);
        String line = oneLine(what);
        if (dropped > 0) {
            LOG.info("client error: {} ({} similar lines left out in the last {} s)", line, dropped, INTERVAL_SECONDS);
        } else {
            LOG.info("client error: {}", line);
        }
        return true;
    }

    /** A message as one bounded line: a client's text may hold newlines meant to forge log lines. */
    static String oneLine(String text) {
        String flat = String.valueOf(text).replaceAll("[\\r\\n\\t\\p{Cntrl}]", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }
}
