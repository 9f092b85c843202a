package io.relaymesh.adapters.grpc;

import io.relaymesh.domain.model.Event;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Events of one forward (or one chunk of a large forward) waiting for a peer, with the future
 * that reports which of them the peer accepted.
 */
record PendingForward(List<Event> events, CompletableFuture<Set<String>> future, long enqueuedNanos) {

    PendingForward(List<Event> events) {
        this(List.copyOf(events), new CompletableFuture<>(), System.nanoTime());
    }

    int size() {
        return events.size();
    }
}
