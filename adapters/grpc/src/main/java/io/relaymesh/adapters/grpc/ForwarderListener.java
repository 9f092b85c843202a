package io.relaymesh.adapters.grpc;

import io.relaymesh.domain.model.PodId;

/**
 * Hooks for metrics and logging of pod-to-pod forwarding (bootstrap implements them with
 * Micrometer). Called from the forwarder's per-peer threads and from transport threads, concurrently:
 * implementations must be thread-safe and fast. An exception thrown here is logged and ignored.
 */
public interface ForwarderListener {

    /** Listens to nothing. */
    ForwarderListener NOOP = new ForwarderListener() {
    };

    /**
     * Forwarding to {@code peer} starts: it appeared in the pod directory, or a first forward to it
     * came (or the first after its idle lane was retired). Its circuit starts closed, and no
     * {@link #circuitChanged} call says so.
     */
    default void peerAdded(PodId peer) {
    }

    /**
     * A stream to {@code peer} is being opened because the peer appeared (in the pod directory, or
     * by opening its own stream to this pod), before any forward to it: a warm-up.
     */
    default void peerWarmed(PodId peer) {
    }

    /** The peer answered the opening of a stream: the first to it, or one replacing a stream that ended. */
    default void streamOpened(PodId peer) {
    }

    /**
     * A batch to {@code peer} carrying {@code events} events was acknowledged {@code latencyNanos}
     * after it was sent (nanoseconds: on loopback it takes well under a millisecond).
     */
    default void batchSent(PodId peer, int events, long latencyNanos) {
    }

    /**
     * Events for {@code peer} were given up: a forward (or a chunk of a large one) whose retries
     * were exhausted or that cannot be retried, a peer without address, an open circuit, a full
     * queue or a timeout. Called once per failed chunk or rejected forward.
     */
    default void batchFailed(PodId peer, Throwable cause) {
    }

    /**
     * Events of a forward to {@code peer} are about to be sent again (what the peer has not
     * accepted); {@code attempt} is the attempt that failed or left some out (1 = first).
     */
    default void retried(PodId peer, int attempt) {
    }

    /** The circuit of {@code peer} changed to {@code state}: {@code closed}, {@code open} or {@code half_open}. */
    default void circuitChanged(PodId peer, String state) {
    }
}
