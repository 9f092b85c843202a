package io.relaymesh.domain.port;

import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.PodId;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Delivers events to the connections held by another pod. Asynchronous so that one slow or dead
 * pod never blocks the delivery path to the others. Thread-safe.
 */
public interface PodForwarder {

    /**
     * Forwards {@code envelopes} to {@code pod}.
     *
     * @return completes with the envelope ids the pod accepted, or exceptionally with a
     *         {@link io.relaymesh.domain.error.PortUnavailableException} when the pod could not be
     *         reached (after retries, or at once while its circuit is open)
     */
    CompletableFuture<Set<String>> forward(PodId pod, List<Envelope> envelopes);
}
