package io.relaymesh.bootstrap.wiring;

import java.util.Objects;

/**
 * Work a module must finish when the gateway stops, after its sockets were closed and before the
 * pod leaves the cluster (its pod-to-pod streams still open): e.g. a dialect relaying the departure
 * of the peers those sockets held. Registered into a set; each step bounds its own wait.
 *
 * @param name for the log
 */
public record ShutdownStep(String name, Runnable step) {
    public ShutdownStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(step, "step");
    }
}
