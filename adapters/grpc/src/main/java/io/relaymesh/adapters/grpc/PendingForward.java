package io.relaymesh.adapters.grpc;

import io.relaymesh.domain.model.Event;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Events of one forward (or one chunk of a large forward) waiting for a peer, with the future
 * that reports which of them the peer accepted.
 */
record PendingForward(List<Event> events, CompletableFuture<Set<String>> future, long enqueuedNanos, long bytes) {

    PendingForward(List<Event> events) {
        this(List.copyOf(events), new CompletableFuture<>(), System.nanoTime(), bytesOf(events));
    }

    int size() {
        return events.size();
    }

    /** About how many bytes {@code events} take in a Deliver request (UTF-8 text plus framing). */
    static long bytesOf(List<Event> events) {
        long total = 0;
        for (Event event : events) {
            total += bytesOf(event);
        }
        return total;
    }

    static long bytesOf(Event event) {
        return utf8Length(event.payloadJson()) + event.eventId().length() + event.subject().value().length() + 32;
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }
}
