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

    /**
     * Delivers {@code envelopes} in their order, everywhere each goes: locally, and to each other pod
     * holding its keys as one forward (so they arrive there in that order, behind whatever this
     * caller forwarded to that pod before). An implementation may look routes up once for all of
     * them, which is what makes a batch cheaper than its envelopes one by one. Completes with the
     * pods that did not take all of theirs.
     */
    default CompletableFuture<Set<PodId>> deliverAll(java.util.List<Envelope> envelopes) {
        Set<PodId> missed = new java.util.HashSet<>();
        CompletableFuture<?>[] each = new CompletableFuture<?>[envelopes.size()];
        for (int i = 0; i < envelopes.size(); i++) {
            each[i] = deliver(envelopes.get(i)).thenAccept(pods -> {
                synchronized (missed) {
                    missed.addAll(pods);
                }
            });
        }
        return CompletableFuture.allOf(each).thenApply(ignored -> Set.copyOf(missed));
    }

    /** Standalone: this pod is the whole cluster. */
    static Delivery localOnly(EventDelivery local) {
        return envelope -> {
            local.deliverLocally(envelope);
            return CompletableFuture.completedFuture(Set.of());
        };
    }
}
