package io.relaymesh.adapters.grpc;

import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.PodId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queue of forwards waiting for one peer and the virtual thread that drains it. The thread
 * coalesces queued forwards into batches of up to {@code maxBatchEvents} (and
 * {@link GrpcDeliveryServer#MAX_BATCH_BYTES}), waiting at most
 * {@code maxLinger} after the oldest one arrived, and sends one batch at a time, so forwards that
 * arrive while a call is in flight go together in the next one. The thread exists only while
 * there is work, and each peer has its own: a slow or dead peer delays only its own queue.
 *
 * <p>Thread-safe: queue state is guarded by {@link #lock}; {@link PeerSender} is used by the
 * draining thread only.
 */
final class PeerLane {
    private static final Logger LOG = LoggerFactory.getLogger(PeerLane.class);

    /** What became of an offer. */
    enum Offer { QUEUED, FULL, RETIRED }

    private final PodId peer;
    private final GrpcSettings settings;
    private final PeerSender sender;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition batchFull = lock.newCondition();
    private final ArrayDeque<PendingForward> queue = new ArrayDeque<>();
    private int queuedEvents;
    private boolean draining;
    private boolean retired;
    private long lastActiveNanos = System.nanoTime();

    PeerLane(PodId peer, GrpcSettings settings, PeerSender sender) {
        this.peer = peer;
        this.settings = settings;
        this.sender = sender;
    }

    /**
     * Queues {@code forwards} ({@code events} events in all) unless the lane holds too many
     * events already or has been retired.
     */
    Offer offer(List<PendingForward> forwards, int events) {
        lock.lock();
        try {
            if (retired) {
                return Offer.RETIRED;
            }
            if (queuedEvents + events > settings.maxQueuedEventsPerPeer()) {
                return Offer.FULL;
            }
            queue.addAll(forwards);
            queuedEvents += events;
            lastActiveNanos = System.nanoTime();
            if (!draining) {
                draining = true;
                Thread.ofVirtual().name("relaymesh-grpc-peer-" + peer).start(this::drain);
            } else if (queuedEvents >= settings.maxBatchEvents()) {
                batchFull.signal();
            }
            return Offer.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /** Whether forwards to this peer fail at once because its circuit is open. */
    boolean circuitRejects() {
        return sender.circuitRejects();
    }

    private void drain() {
        List<PendingForward> batch;
        while ((batch = nextBatch()) != null) {
            try {
                sender.send(batch);
            } catch (RuntimeException e) {
                // PeerSender settles every failure itself; this is a bug, but must not strand the queue.
                LOG.error("sending a batch to pod_id={} failed unexpectedly", peer, e);
                PortUnavailableException failure =
                        new PortUnavailableException("grpc", "forwarding to pod " + peer + " failed", e);
                batch.forEach(f -> f.future().completeExceptionally(failure));
            }
        }
    }

    /** The next batch, once it is full or its oldest forward has lingered enough; null when idle. */
    private List<PendingForward> nextBatch() {
        lock.lock();
        try {
            while (true) {
                while (!queue.isEmpty() && queue.peekFirst().future().isDone()) {
                    queuedEvents -= queue.pollFirst().size(); // timed out while queued
                }
                if (queue.isEmpty() || retired) {
                    draining = false;
                    lastActiveNanos = System.nanoTime();
                    return null;
                }
                long wait = queue.peekFirst().enqueuedNanos() + settings.maxLinger().toNanos() - System.nanoTime();
                if (queuedEvents >= settings.maxBatchEvents() || wait <= 0) {
                    break;
                }
                batchFull.awaitNanos(wait);
            }
            List<PendingForward> batch = new ArrayList<>();
            int events = 0;
            long bytes = 0;
            while (!queue.isEmpty()) {
                PendingForward next = queue.peekFirst();
                // The receiving pod refuses requests above its message cap, so batches stay below it.
                if (!batch.isEmpty() && (events + next.size() > settings.maxBatchEvents()
                        || bytes + next.bytes() > GrpcDeliveryServer.MAX_BATCH_BYTES)) {
                    break;
                }
                queue.pollFirst();
                queuedEvents -= next.size();
                if (!next.future().isDone()) {
                    batch.add(next);
                    events += next.size();
                    bytes += next.bytes();
                }
            }
            return batch;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            draining = false;
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Retires the lane if nothing happened on it for {@code idle}: no queued forwards, no batch in
     * flight. A retired lane takes no more forwards and its channel is closed.
     */
    boolean retireIfIdle(Duration idle) {
        lock.lock();
        try {
            if (retired || draining || !queue.isEmpty() || System.nanoTime() - lastActiveNanos < idle.toNanos()) {
                return false;
            }
            retired = true;
        } finally {
            lock.unlock();
        }
        sender.shutdown();
        return true;
    }

    /** Fails the queued forwards and starts closing the channel; see {@link #awaitClosed}. */
    void shutdown() {
        List<PendingForward> dropped;
        lock.lock();
        try {
            retired = true;
            dropped = new ArrayList<>(queue);
            queue.clear();
            queuedEvents = 0;
            batchFull.signalAll();
        } finally {
            lock.unlock();
        }
        PortUnavailableException closed = new PortUnavailableException("grpc", "the forwarder is closed", null);
        dropped.forEach(f -> f.future().completeExceptionally(closed));
        sender.shutdown();
    }

    void awaitClosed(Duration timeout) {
        sender.awaitClosed(timeout);
    }

    boolean channelOpen() {
        return sender.channelOpen();
    }
}
