package io.relaymesh.adapters.grpc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The forwards waiting for one peer's stream, oldest first (retries go ahead of new forwards), and
 * how they are cut into batches. Not thread-safe: its {@link PeerLane} guards it with its lock.
 */
final class LaneQueue {
    private final ArrayDeque<PendingForward> queue = new ArrayDeque<>();
    private int events;

    void addLast(PendingForward forward) {
        queue.addLast(forward);
        events += forward.size();
    }

    void addFirst(PendingForward forward) {
        queue.addFirst(forward);
        events += forward.size();
    }

    /** Events queued (forwards given up while queued included, until they are dropped). */
    int events() {
        return events;
    }

    /** Whether nothing waits to be sent (forwards given up while queued are dropped first). */
    boolean isEmpty() {
        dropSettledHead();
        return queue.isEmpty();
    }

    /** When the oldest forward arrived; only when not {@link #isEmpty()}. */
    long oldestNanos() {
        return queue.peekFirst().enqueuedNanos();
    }

    /**
     * The next batch: forwards from the head, up to {@code maxEvents} events and {@code maxBytes}
     * (the receiving pod refuses messages above its cap), at least one; empty when none is left.
     */
    List<PendingForward> takeBatch(int maxEvents, long maxBytes) {
        List<PendingForward> batch = new ArrayList<>();
        int batchEvents = 0;
        long bytes = 0;
        while (!isEmpty()) {
            PendingForward next = queue.peekFirst();
            if (!batch.isEmpty() && (batchEvents + next.size() > maxEvents || bytes + next.bytes() > maxBytes)) {
                break;
            }
            queue.pollFirst();
            events -= next.size();
            batch.add(next);
            batchEvents += next.size();
            bytes += next.bytes();
        }
        return batch;
    }

    /** Everything queued, which the queue forgets. */
    List<PendingForward> drain() {
        List<PendingForward> drained = new ArrayList<>(queue);
        queue.clear();
        events = 0;
        return drained;
    }

    /** Forgets forwards given up while queued (timed out), so they are neither sent nor wait. */
    private void dropSettledHead() {
        while (!queue.isEmpty() && queue.peekFirst().future().isDone()) {
            events -= queue.pollFirst().size();
        }
    }
}
