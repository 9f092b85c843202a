package io.relaymesh.adapters.grpc;

import io.relaymesh.domain.model.Envelope;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Events of one forward (or one chunk of a large forward) waiting for a peer, with the future
 * that reports which of them the peer accepted.
 */
record PendingForward(List<Envelope> events, CompletableFuture<Set<String>> future, long enqueuedNanos, long bytes) {

    PendingForward(List<Envelope> events) {
        this(List.copyOf(events), new CompletableFuture<>(), System.nanoTime(), bytesOf(events));
    }

    int size() {
        return events.size();
    }

    /** About how many bytes {@code events} take in a Deliver request (UTF-8 text plus framing). */
    static long bytesOf(List<Envelope> events) {
        long total = 0;
        for (Envelope event : events) {
            total += bytesOf(event);
        }
        return total;
    }

    static long bytesOf(Envelope event) {
        long keys = 0;
        for (io.relaymesh.domain.model.RouteKey key : event.audience()) {
            keys += key.value().length() + 2;
        }
        return event.payload().length + event.id().length() + event.subject().length() + keys + 32;
    }

}
