package io.relaymesh.adapters.nats;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Caps the messages one pod holds unsettled. A pull loop reserves permits before it asks the
 * server for messages (so the server never sends more than the pod may hold), hands one permit to
 * each message it receives, and returns the rest; a message returns its permit when it is settled,
 * or when it has stayed unsettled past the ack wait (JetStream has redelivered it by then, so it
 * no longer counts, and a handler that forgets to settle cannot stall the pod). Thread-safe.
 */
final class InFlightLimit {
    private static final Logger log = LoggerFactory.getLogger(InFlightLimit.class);

    private final int max;
    private final Semaphore permits;
    private final Set<NatsInbound> unsettled = ConcurrentHashMap.newKeySet();

    InFlightLimit(int max) {
        this.max = max;
        this.permits = new Semaphore(max, true);
    }

    /** Blocks until at least one permit is free, then takes up to {@code upTo}; returns how many it took. */
    int reserve(int upTo) throws InterruptedException {
        permits.acquire();
        int taken = 1;
        while (taken < upTo && permits.tryAcquire()) {
            taken++;
        }
        return taken;
    }

    void release(int reserved) {
        if (reserved > 0) {
            permits.release(reserved);
        }
    }

    /** The message now holds one reserved permit until {@link #settled}. */
    void track(NatsInbound inbound) {
        unsettled.add(inbound);
    }

    /** Returns the message's permit; a second call for the same message does nothing. */
    void settled(NatsInbound inbound) {
        if (unsettled.remove(inbound)) {
            permits.release();
        }
    }

    /** Frees the permits of messages held unsettled for longer than {@code ackWait}. */
    void expire(Duration ackWait) {
        long now = System.nanoTime();
        for (NatsInbound inbound : unsettled) {
            if (now - inbound.receivedNanos() > ackWait.toNanos() && unsettled.remove(inbound)) {
                permits.release();
                log.warn("Event {} on {} was not settled within {}; JetStream redelivers it, no longer counted"
                        + " in flight", inbound.envelope().id(), inbound.consumer(), ackWait);
            }
        }
    }

    /** Messages handed to the handler and not settled yet. */
    int unsettled() {
        return unsettled.size();
    }

    /** Permits neither reserved by a pull nor held by a message. */
    int available() {
        return permits.availablePermits();
    }

    int max() {
        return max;
    }

    /** Waits until every handed-out message is settled; false when {@code timeout} passed first. */
    boolean awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!unsettled.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return true;
    }
}
