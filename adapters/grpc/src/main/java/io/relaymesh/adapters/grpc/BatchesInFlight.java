package io.relaymesh.adapters.grpc;

import io.grpc.Status;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.proto.v2.DeliverAck;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The batches sent on a peer's stream and not acknowledged yet, oldest first, and what an ack
 * does to the forwards of its batch. Not thread-safe: its {@link PeerLane} guards it with its
 * lock; {@link Batch#settle} runs outside it.
 */
final class BatchesInFlight {

    /** A batch on the wire. */
    record Batch(long seq, List<PendingForward> forwards, int events, long sentNanos) {

        /**
         * Completes each forward with the ids of it the peer accepted, or, when the peer could not
         * deliver the batch at all, fails them (retriably) with its reason.
         */
        void settle(DeliverAck ack, String peer) {
            if (!ack.getError().isEmpty()) {
                fail(Status.INTERNAL.withDescription("pod " + peer + " could not deliver batch " + seq + ": "
                        + ack.getError()).asRuntimeException());
                return;
            }
            Set<String> accepted = new HashSet<>(ack.getAcceptedIdsList());
            for (PendingForward forward : forwards) {
                Set<String> mine = new HashSet<>();
                for (Envelope event : forward.events()) {
                    if (accepted.contains(event.id())) {
                        mine.add(event.id());
                    }
                }
                forward.future().complete(Set.copyOf(mine));
            }
        }

        void fail(RuntimeException failure) {
            forwards.forEach(forward -> forward.future().completeExceptionally(failure));
        }
    }

    private final ArrayDeque<Batch> batches = new ArrayDeque<>();
    private int events;

    void add(Batch batch) {
        batches.addLast(batch);
        events += batch.events();
    }

    /** The batch {@code seq}, which is no longer in flight; null when it is not (any more). */
    Batch remove(long seq) {
        for (Iterator<Batch> it = batches.iterator(); it.hasNext(); ) {
            Batch batch = it.next();
            if (batch.seq() == seq) {
                it.remove();
                events -= batch.events();
                return batch;
            }
        }
        return null;
    }

    /** The oldest batch; only when not {@link #isEmpty()}. */
    Batch oldest() {
        return batches.peekFirst();
    }

    boolean isEmpty() {
        return batches.isEmpty();
    }

    int size() {
        return batches.size();
    }

    int events() {
        return events;
    }

    /** The forwards of every batch, which are no longer in flight. */
    List<PendingForward> drain() {
        List<PendingForward> forwards = new ArrayList<>();
        batches.forEach(batch -> forwards.addAll(batch.forwards()));
        batches.clear();
        events = 0;
        return forwards;
    }
}
