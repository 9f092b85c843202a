package io.relaymesh.domain.model;

import java.util.Objects;

/**
 * An event to deliver: its id (clients deduplicate by it), subject, payload as a JSON document
 * (exactly one JSON object, checked where events enter; handed to clients unchanged) and publish
 * time in epoch milliseconds (for latency).
 */
public record Event(String eventId, EventSubject subject, String payloadJson, long publishedAtMillis) {
    public Event {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(payloadJson, "payload");
        // Entrances check first to answer with the reason; this keeps a forgotten one safe.
        Names.requireEventId(eventId);
    }
}
