package io.relaymesh.application.delivery;

import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.PodId;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The one place that delivers an envelope to its audience: this pod's connections, and every other
 * pod that holds one of its route keys. Any use case calls it (a publish, a client relaying to a
 * room), not only the JetStream consumer. Thread-safe; never blocks on a slow pod.
 */
public interface Delivery {

    /** Completes with the pods that did not take the envelope (empty when every holder did). */
    CompletableFuture<Set<PodId>> deliver(Envelope envelope);

    /** Standalone: this pod is the whole cluster. */
    static Delivery localOnly(EventDelivery local) {
        return envelope -> {
            local.deliverLocally(envelope);
            return CompletableFuture.completedFuture(Set.of());
        };
    }
}
