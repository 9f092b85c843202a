package io.relaymesh.adapters.web.http;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Liveness of this process as {@code /health} reports it: a dead listener (Helidon stops accepting
 * for good when accept() fails on the open-file limit) makes the pod unhealthy. Thread-safe.
 */
public final class HealthState {
    private final AtomicReference<String> problem = new AtomicReference<>();

    /** Null when healthy. */
    public String problem() {
        return problem.get();
    }

    public void fail(String why) {
        problem.set(why);
    }
}
