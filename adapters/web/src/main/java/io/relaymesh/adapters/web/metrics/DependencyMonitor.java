package io.relaymesh.adapters.web.metrics;

import io.relaymesh.adapters.web.http.ReadinessCheck;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The readiness checks of {@code /ready} (Redis PING, NATS connected, gRPC serving), run on a
 * virtual thread of its own every interval and their results kept, so that a metrics scrape reads
 * memory and never waits on a dependency that does not answer. Thread-safe.
 */
public final class DependencyMonitor implements AutoCloseable {
    private final List<ReadinessCheck> checks;
    private final Map<String, Boolean> up = new ConcurrentHashMap<>();
    private volatile Thread thread;
    private volatile boolean closed;

    public DependencyMonitor(List<ReadinessCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    /** The names of the checks, e.g. {@code redis}, {@code nats}, {@code grpc}. */
    public List<String> names() {
        return checks.stream().map(ReadinessCheck::name).toList();
    }

    /** Whether the check passed the last time it ran; empty before it first ran. */
    public Optional<Boolean> up(String name) {
        return Optional.ofNullable(up.get(name));
    }

    /** Runs every check now; blocks as long as the checks do (each is bounded by its client's timeout). */
    public void refresh() {
        for (ReadinessCheck check : checks) {
            boolean ok;
            try {
                ok = check.problem() == null;
            } catch (RuntimeException e) {
                ok = false;
            }
            up.put(check.name(), ok);
        }
    }

    /** Checks now, then every {@code interval} until {@link #close()}. */
    public synchronized void start(Duration interval) {
        if (thread != null || closed) {
            throw new IllegalStateException("dependency monitor already started or closed");
        }
        long millis = interval.toMillis();
        thread = Thread.ofVirtual().name("relaymesh-dependency-monitor").start(() -> {
            while (!closed) {
                refresh();
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Stops checking. Idempotent. */
    @Override
    public void close() {
        closed = true;
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
    }
}
