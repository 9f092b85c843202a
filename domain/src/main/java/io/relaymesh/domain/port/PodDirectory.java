package io.relaymesh.domain.port;

import io.relaymesh.domain.model.PodId;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Where each live pod's pod-to-pod endpoint is; entries expire without a heartbeat. Thread-safe. */
public interface PodDirectory {

    /** Announces (or re-announces) {@code pod} at {@code address} for {@code ttl}. */
    void heartbeat(PodId pod, String address, Duration ttl);

    /** The address of a live pod. */
    Optional<String> address(PodId pod);

    /** All pods whose heartbeat has not lapsed. */
    Set<PodId> livePods();

    /**
     * Whether {@code pod}'s heartbeat has not lapsed. Callers about to treat a pod as dead (remove
     * its routes, take its sessions) ask this, which an implementation that caches
     * {@link #livePods()} answers afresh for a pod its cache does not list.
     */
    default boolean alive(PodId pod) {
        return livePods().contains(pod);
    }

    /** Removes {@code pod} at once (graceful shutdown). */
    void remove(PodId pod);
}
