package io.relaymesh.domain.model;

import java.util.Objects;

/**
 * An event to deliver: its id (clients deduplicate by it), subject, payload as a JSON document
 * (handed to clients unchanged) and publish time in epoch milliseconds (for latency).
 */
public record Event(String eventId, EventSubject subject, String payloadJson, long publishedAtMillis) {
    public Event {
        Objects.requireNonNull(eventId, "event_id");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(payloadJson, "payload");
        if (eventId.isBlank()) {
            throw new IllegalArgumentException("event_id must not be empty");
        }
    }
}
