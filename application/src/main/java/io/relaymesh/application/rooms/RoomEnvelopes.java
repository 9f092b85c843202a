package io.relaymesh.application.rooms;

import io.relaymesh.application.dialect.DialectSessions;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.Clock;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the rooms send through the core's delivery, to {@code room:{topic}} on every pod that holds
 * a peer of the topic: data relayed from a peer (its base64 text as the payload, passed on as it
 * came) and the news that a peer joined or left. The attributes say which and who; the dialect's
 * codec renders them. A connection's own envelopes go through its {@link RoomOutbox}, in the order
 * it sent them (and one stream per pod pair keeps that order across pods). Thread-safe.
 */
public final class RoomEnvelopes {
    private static final Logger LOG = Logger.getLogger(RoomEnvelopes.class.getName());
    /** Attribute: {@link #DATA}, {@link #JOINED} or {@link #LEFT}. */
    public static final String KIND = "rooms.kind";
    /** Attribute: the peer id of the sender, or of the peer that joined or left. */
    public static final String PEER = "rooms.peer";
    /** Attribute: the topic (joined and left only). */
    public static final String TOPIC = "rooms.topic";
    public static final String DATA = "data";
    public static final String JOINED = "joined";
    public static final String LEFT = "left";
    private static final byte[] EMPTY = new byte[0];

    private final DialectSessions sessions;
    private final Clock clock;
    private final RoomsMetrics metrics;
    /** Envelope ids: a prefix random per process and a counter, unique across the cluster without a UUID each. */
    private final String idPrefix = "rm-" + UUID.randomUUID().toString().substring(0, 13) + "-";
    private final AtomicLong sequence = new AtomicLong();
    /** Envelopes queued in an outbox or handed to the core and not settled yet. */
    private final AtomicLong outstanding = new AtomicLong();

    public RoomEnvelopes(DialectSessions sessions, Clock clock, RoomsMetrics metrics) {
        this.sessions = sessions;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** The route key of {@code topic}'s room. */
    public static RouteKey key(String topic) {
        return RouteKey.of(Rooms.NAMESPACE, topic);
    }

    /** {@code base64} from {@code peerId} to every other peer of its topic. */
    Envelope data(RouteKey key, String peerId, String base64, ConnectionId from) {
        return new Envelope(nextId(), List.of(key), base64.getBytes(StandardCharsets.ISO_8859_1),
                Map.of(KIND, DATA, PEER, peerId), clock.millis(), from);
    }

    /** {@code peerId} joined {@code topic}: to the others ({@code from} is the joiner's connection, or null). */
    Envelope joined(String topic, String peerId, ConnectionId from) {
        return new Envelope(nextId(), List.of(key(topic)), EMPTY, Map.of(KIND, JOINED, PEER, peerId, TOPIC, topic),
                clock.millis(), from);
    }

    /** {@code peerId} left {@code topic}: to the others ({@code from} is its connection, or null). */
    Envelope left(String topic, String peerId, ConnectionId from) {
        return new Envelope(nextId(), List.of(key(topic)), EMPTY, Map.of(KIND, LEFT, PEER, peerId, TOPIC, topic),
                clock.millis(), from);
    }

    /** An outbox of one connection, delivering its envelopes in batches on {@code executor}. */
    RoomOutbox outbox(Executor executor) {
        return new RoomOutbox(executor, this::deliverAll, outstanding);
    }

    private String nextId() {
        return idPrefix + Long.toHexString(sequence.incrementAndGet());
    }

    /** Hands one envelope (not a connection's own: a lost pod's peer, say) to the core; never throws. */
    void deliverNow(Envelope envelope) {
        outstanding.incrementAndGet();
        deliverAll(List.of(envelope));
    }

    /**
     * Waits until every envelope queued or handed to the core so far is settled (forwarded and
     * acknowledged, or failed), at most {@code timeout}; true if it got there. A pod that stops
     * calls it after closing its sockets, so their peers' departures reach the other pods before
     * it leaves the cluster.
     */
    public boolean awaitSettled(java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (outstanding.get() > 0) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Hands a batch to the core, in order; never throws (a failure is logged and counted). */
    private void deliverAll(List<Envelope> envelopes) {
        try {
            sessions.deliverAll(envelopes).whenComplete((missed, error) -> {
                outstanding.addAndGet(-envelopes.size());
                if (error != null) {
                    LOG.log(Level.FINE, envelopes.size() + " envelopes of the rooms not delivered", error);
                } else if (!missed.isEmpty()) {
                    metrics.relayMissed(missed.size());
                }
            });
        } catch (RuntimeException e) {
            outstanding.addAndGet(-envelopes.size());
            LOG.log(Level.WARNING, envelopes.size() + " envelopes of the rooms (first event_id="
                    + envelopes.getFirst().id() + ") not delivered", e);
        }
    }
}
