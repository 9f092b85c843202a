package io.relaymesh.adapters.web.metrics;

import io.relaymesh.adapters.web.http.ReadinessCheck;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The readiness checks of {@code /ready} (Redis PING, NATS connected, gRPC serving), run by
 * {@link #refresh()} (bootstrap calls it every few seconds) and their results kept, so that a metrics scrape reads
 * memory and never waits on a dependency that does not answer. Thread-safe.
 */
public final class DependencyMonitor {
    private final List<ReadinessCheck> checks;
    private final Map<String, Boolean> up = new ConcurrentHashMap<>();

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


}
