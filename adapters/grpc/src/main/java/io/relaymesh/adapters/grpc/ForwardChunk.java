package io.relaymesh.adapters.grpc;

import io.relaymesh.domain.model.Envelope;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A part of a forward small enough for one batch: its events, the future its caller waits on,
 * and the attempt to send them that is under way (the first, or a retry of what the peer has not
 * taken yet). Thread-safe: the attempt is swapped by the one thread that retries the chunk and
 * read by whoever gives the chunk up.
 */
final class ForwardChunk {
    private final List<Envelope> events;
    private final CompletableFuture<Set<String>> result = new CompletableFuture<>();
    private volatile PendingForward attempt;

    ForwardChunk(List<Envelope> events) {
        this.events = List.copyOf(events);
        this.attempt = new PendingForward(this.events);
    }

    List<Envelope> events() {
        return events;
    }

    /** The ids the peer accepted, or why the chunk was given up. */
    CompletableFuture<Set<String>> result() {
        return result;
    }

    PendingForward attempt() {
        return attempt;
    }

    /** Starts a new attempt with {@code remaining} (the events not accepted yet). */
    PendingForward retry(List<Envelope> remaining) {
        PendingForward next = new PendingForward(remaining);
        attempt = next;
        return next;
    }

    /**
     * Gives the chunk up with {@code failure}: its caller learns at once, and its attempt fails
     * too, so that a queued one is never sent and whoever waits for it stops waiting.
     *
     * @return whether this completed the chunk (false when it was settled already)
     */
    boolean giveUp(Throwable failure) {
        boolean mine = result.completeExceptionally(failure);
        attempt.future().completeExceptionally(failure);
        return mine;
    }

    int size() {
        return events.size();
    }
}
