package io.relaymesh.adapters.grpc;

import io.relaymesh.domain.model.Envelope;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One attempt to send events of one forward (or of one chunk of a large forward) to a peer: what
 * its lane queues and puts into batches, with the future that reports which of them the peer
 * accepted (or why the attempt failed).
 */
record PendingForward(List<Envelope> events, CompletableFuture<Set<String>> future, long enqueuedNanos, long bytes) {

    PendingForward(List<Envelope> events) {
        this(List.copyOf(events), new CompletableFuture<>(), System.nanoTime(), bytesOf(events));
    }

    int size() {
        return events.size();
    }

    /** About how many bytes {@code events} take in a batch. */
    static long bytesOf(List<Envelope> events) {
        long total = 0;
        for (Envelope event : events) {
            total += EventMessages.sizeOf(event);
        }
        return total;
    }
}
