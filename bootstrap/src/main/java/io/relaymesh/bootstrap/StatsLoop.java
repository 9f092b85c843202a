package io.relaymesh.bootstrap;

import io.relaymesh.application.stats.PodStatsReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * Posts this pod's stats for the admin API every {@link PodStatsReporter#INTERVAL}, in both modes,
 * on a virtual thread of its own (like the pod directory heartbeat). A failure (Redis down) is
 * logged once, and once more when posting works again. Thread-safe.
 */
final class StatsLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatsLoop.class);

    private final PodStatsReporter reporter;
    private final Supplier<String> address;
    private final Thread thread;
    private volatile boolean closed;
    private boolean failing;

    /** Starts posting at once; {@code address} is where other pods reach this one (empty in standalone). */
    StatsLoop(PodStatsReporter reporter, Supplier<String> address) {
        this.reporter = reporter;
        this.address = address;
        this.thread = Thread.ofVirtual().name("relaymesh-stats").start(this::run);
    }

    private void run() {
        while (!closed) {
            post();
            try {
                Thread.sleep(PodStatsReporter.INTERVAL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void post() {
        try {
            reporter.publish(address.get());
            if (failing) {
                failing = false;
                LOG.info("posting pod stats works again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warn("posting pod stats failed (the cluster view shows this pod without them): {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
