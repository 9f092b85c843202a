package io.relaymesh.adapters.grpc;

import io.relaymesh.domain.model.PodId;

/**
 * Hooks for metrics and logging of pod-to-pod forwarding (bootstrap implements them with
 * Micrometer). Called from the forwarder's per-peer threads, concurrently for different peers:
 * implementations must be thread-safe and fast. An exception thrown here is logged and ignored.
 */
public interface ForwarderListener {

    /** Listens to nothing. */
    ForwarderListener NOOP = new ForwarderListener() {
    };

    /**
     * Forwarding to {@code peer} starts: its first forward, or the first after its idle lane was
     * retired. Its circuit starts closed, and no {@link #circuitChanged} call says so.
     */
    default void peerAdded(PodId peer) {
    }

    /**
     * A Deliver call to {@code peer} carrying {@code events} events was answered after
     * {@code latencyNanos} (nanoseconds: on loopback a call takes well under a millisecond).
     */
    default void batchSent(PodId peer, int events, long latencyNanos) {
    }

    /**
     * Events for {@code peer} were given up: a batch whose retries were exhausted, a dead peer, an
     * open circuit, a full queue or a timeout. Called once per batch or rejected forward.
     */
    default void batchFailed(PodId peer, Throwable cause) {
    }

    /** A Deliver call to {@code peer} is about to be retried; {@code attempt} is the failed attempt (1 = first). */
    default void retried(PodId peer, int attempt) {
    }

    /** The circuit of {@code peer} changed to {@code state}: {@code closed}, {@code open} or {@code half_open}. */
    default void circuitChanged(PodId peer, String state) {
    }
}
