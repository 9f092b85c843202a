package io.relaymesh.domain.port;

import io.relaymesh.domain.model.PodId;

import java.time.Duration;
import java.util.Set;

/**
 * Which pods already took an event that has to be redelivered, shared by all pods: a redelivery
 * may be consumed by any pod, and it should go only to the pods that did not take the event yet,
 * so that one failing pod does not cause duplicates everywhere. Only events that failed somewhere
 * are recorded. Thread-safe.
 */
public interface DeliveryLedger {

    /** Adds {@code pods} to those that took {@code eventId}; the record lives for {@code ttl}. */
    void recordTaken(String eventId, Set<PodId> pods, Duration ttl);

    /** The pods known to have taken {@code eventId} (empty when none recorded). */
    Set<PodId> taken(String eventId);
}
