package io.relaymesh.application.rooms;

import io.relaymesh.domain.model.Envelope;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * What one connection sends through the core, in the order it sent it: its data, and the news that
 * it joined or left. The connection's reader hands envelopes in and goes back to reading; a drain
 * task (on {@code executor}, only while there is something to send) hands them to the core in
 * batches, so that under load one route lookup serves many frames, and never out of order. The
 * queue is bounded: a connection that sends faster than the relay delivers waits in {@link #add},
 * which holds back its socket (TCP back-pressure) rather than buffering without end. Thread-safe.
 */
final class RoomOutbox {
    private static final Logger LOG = Logger.getLogger(RoomOutbox.class.getName());
    /** Envelopes handed to the core at once, at most. */
    static final int MAX_BATCH = 256;
    /** Payload bytes handed to the core at once, at most (well under a pod-to-pod message). */
    static final long MAX_BATCH_BYTES = 1024 * 1024;
    /** Payload bytes waiting at most before a sender waits. */
    static final long MAX_QUEUED_BYTES = 4 * 1024 * 1024;
    /** Envelopes waiting at most before a sender waits. */
    static final int MAX_QUEUED = 4096;
    /** How long a sender waits for room before its envelope is dropped (the core is stuck: logged). */
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Executor executor;
    private final Consumer<List<Envelope>> deliver;
    /** Envelopes queued or being delivered, across every outbox of the pod (for a clean shutdown). */
    private final java.util.concurrent.atomic.AtomicLong outstanding;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition roomy = lock.newCondition();
    /** What waits, in order; null while nothing does (an idle peer keeps no queue). */
    private ArrayDeque<Envelope> queue;
    private long queuedBytes;
    private boolean draining;

    /** @param deliver hands a batch to the core; must not throw */
    RoomOutbox(Executor executor, Consumer<List<Envelope>> deliver) {
        this(executor, deliver, new java.util.concurrent.atomic.AtomicLong());
    }

    /**
     * @param deliver     hands a batch to the core (and, once it is settled, takes it off {@code outstanding});
     *                    must not throw
     * @param outstanding counts each envelope from {@link #add} until {@code deliver} settles it
     */
    RoomOutbox(Executor executor, Consumer<List<Envelope>> deliver, java.util.concurrent.atomic.AtomicLong outstanding) {
        this.executor = executor;
        this.deliver = deliver;
        this.outstanding = outstanding;
    }

    /** Queues {@code envelope} behind what this connection queued before; waits while the queue is full. */
    void add(Envelope envelope) {
        boolean start;
        lock.lock();
        try {
            long waited = 0;
            while (queue != null && (queue.size() >= MAX_QUEUED || queuedBytes >= MAX_QUEUED_BYTES)) {
                if (waited >= MAX_WAIT_NANOS) {
                    LOG.warning("rooms: event_id=" + envelope.id() + " dropped: the relay of this connection has not "
                            + "moved for " + TimeUnit.NANOSECONDS.toSeconds(waited) + " s");
                    return;
                }
                long start0 = System.nanoTime();
                try {
                    roomy.awaitNanos(MAX_WAIT_NANOS - waited);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                waited += System.nanoTime() - start0;
            }
            if (queue == null) {
                queue = new ArrayDeque<>();
            }
            queue.addLast(envelope);
            outstanding.incrementAndGet();
            queuedBytes += envelope.payload().length;
            start = !draining;
            draining = true;
        } finally {
            lock.unlock();
        }
        if (start) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            List<Envelope> batch = new ArrayList<>();
            lock.lock();
            try {
                long bytes = 0;
                while (queue != null && !queue.isEmpty() && batch.size() < MAX_BATCH
                        && (batch.isEmpty() || bytes + queue.peekFirst().payload().length <= MAX_BATCH_BYTES)) {
                    Envelope next = queue.pollFirst();
                    bytes += next.payload().length;
                    batch.add(next);
                }
                queuedBytes -= bytes;
                if (batch.isEmpty()) {
                    draining = false;
                    queue = null;
                    return;
                }
                roomy.signalAll();
            } finally {
                lock.unlock();
            }
            deliver.accept(batch);
        }
    }

    /** Envelopes waiting (for tests and gauges). */
    int queued() {
        lock.lock();
        try {
            return queue == null ? 0 : queue.size();
        } finally {
            lock.unlock();
        }
    }
}
