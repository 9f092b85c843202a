package io.relaymesh.application.rooms;

import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.RoomRoster;

import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection of the rooms dialect on this pod: its rate budget and, once joined, its topic and
 * peer. Changes (join, leave, close, relaying data) happen under {@link #lock}, so a connection's
 * frames and its departure are announced in the order they happened. Thread-safe.
 */
final class RoomMember {
    /** A peer in a topic: the topic, its route key, the roster entry and when its token stops counting. */
    record Joined(String topic, RouteKey key, RoomRoster.Peer peer, Instant validUntil) {
        RoomRoster.Held held() {
            return new RoomRoster.Held(topic, peer);
        }

        String peerId() {
            return peer.peerId();
        }
    }

    final ReentrantLock lock = new ReentrantLock();
    private final LocalSession session;
    private final RateBudget budget;
    private final RoomOutbox outbox;
    private volatile Joined joined;
    private boolean gone;

    RoomMember(LocalSession session, RoomOutbox outbox, long nowNanos) {
        this.session = session;
        this.outbox = outbox;
        this.budget = new RateBudget(nowNanos);
    }

    /** Where its envelopes go, in the order it sent them. */
    RoomOutbox outbox() {
        return outbox;
    }

    LocalSession session() {
        return session;
    }

    RateBudget budget() {
        return budget;
    }

    /** The topic it is in, or null. */
    Joined joined() {
        return joined;
    }

    /** Under the lock. */
    void joined(Joined next) {
        joined = next;
    }

    /** Under the lock: the connection ended; nothing more may be joined for it. */
    void markGone() {
        gone = true;
    }

    /** Under the lock. */
    boolean gone() {
        return gone || session.isClosed();
    }
}
