package io.relaymesh.application.delivery;

import io.relaymesh.domain.model.Envelope;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a pod does with envelopes another pod forwarded to it: queue them for its connections.
 * Every valid envelope is accepted, even when no local connection wants it any more (the route was
 * stale): refusing would only make the sender retry for nothing. A forward retried after its
 * deadline may arrive twice: the ids queued last are remembered and skipped. Thread-safe.
 */
public final class ForwardedDelivery {
    private final EventDelivery delivery;
    private final Map<String, Boolean> recent;

    /** @param remembered how many forwarded ids to remember for dropping duplicates */
    public ForwardedDelivery(EventDelivery delivery, int remembered) {
        this.delivery = delivery;
        this.recent = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > remembered;
            }
        });
    }

    /** Queues each envelope not seen recently; returns the ids of every envelope (all are taken). */
    public Set<String> deliver(List<Envelope> envelopes) {
        Set<String> accepted = new HashSet<>(envelopes.size() * 2);
        for (Envelope envelope : envelopes) {
            if (!recent.containsKey(envelope.id())) {
                // Remembered only once queued: if queueing fails the sender's retry delivers it.
                // Two retries racing may both queue it; clients deduplicate by id.
                delivery.deliverLocally(envelope);
                recent.put(envelope.id(), Boolean.TRUE);
            }
            accepted.add(envelope.id());
        }
        return accepted;
    }
}
