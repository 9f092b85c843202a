package io.relaymesh.application.dialect.topics;

import io.relaymesh.domain.topics.TopicMessage;
import io.relaymesh.application.connection.Principal;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionKey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A WebSocket subscriber: its user (from the JWT), its consumer once it names a client id, and
 * one gate per subscribed topic. A gate holds live envelopes back while the missed ones are
 * replayed, then sends the held ones the replay did not (a message both replayed and delivered
 * live is sent once) and lets live ones through. Many connections per user are fine. Thread-safe.
 */
public final class Subscriber implements Principal {
    private final String user;
    private final String connection = UUID.randomUUID().toString();
    private final Instant expiresAt;
    private volatile String clientId;
    private final ConcurrentHashMap<String, Gate> gates = new ConcurrentHashMap<>();
    /** Acks have their own budget: a seed client sends one per message it gets. */
    private io.relaymesh.application.connection.FrameRateLimiter acks;

    public Subscriber(String user, Instant expiresAt) {
        this.user = user;
        this.expiresAt = expiresAt;
    }

    public String user() {
        return user;
    }

    /** Whether one more ack frame is within {@code perSecond} (burst twice that). */
    public synchronized boolean allowAck(int perSecond) {
        if (acks == null) {
            acks = new io.relaymesh.application.connection.FrameRateLimiter(perSecond * 2, System.nanoTime());
        }
        return acks.tryAcquire(perSecond, perSecond * 2, System.nanoTime());
    }

    /** The client id it subscribed with, or null. */
    public String clientId() {
        return clientId;
    }

    /** Sets the client id once; false when another one was set before. */
    public synchronized boolean nameClient(String id) {
        if (clientId == null) {
            clientId = id;
            return true;
        }
        return clientId.equals(id);
    }

    /** Its consumer name, or null before it named a client id. */
    public String consumer() {
        String id = clientId;
        return id == null ? null : Consumers.name(user, id);
    }

    public Set<String> topics() {
        return Set.copyOf(gates.keySet());
    }

    /** A new gate for {@code topic}, closed (holding back live envelopes); null when already subscribed. */
    Gate open(String topic) {
        Gate gate = new Gate();
        return gates.putIfAbsent(topic, gate) == null ? gate : null;
    }

    /** The gate of {@code topic}, or null when not subscribed. */
    Gate gate(String topic) {
        return gates.get(topic);
    }

    boolean remove(String topic) {
        return gates.remove(topic) != null;
    }

    @Override
    public boolean mayReceive(Envelope envelope) {
        String topic = envelope.attribute(Topics.TOPIC);
        Gate gate = topic == null ? null : gates.get(topic);
        return gate != null && gate.pass(envelope);
    }

    @Override
    public SessionKey sessionKey() {
        return new SessionKey("session:topics:" + connection);
    }

    @Override
    public RouteKey baseRoute() {
        return RouteKey.of("topics_client", connection);
    }

    @Override
    public boolean exclusive() {
        return false;
    }

    @Override
    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public GatewayMetrics.Kind kind() {
        return GatewayMetrics.Kind.user;
    }

    /**
     * One topic's replay state. Live envelopes are held while the missed messages are replayed;
     * afterwards only those the replay already sent (sequence at or below the highest replayed)
     * are held back. Live ones are not ordered against each other: two publishes at once on two
     * pods may arrive in either order, and neither may be dropped for it.
     */
    static final class Gate {
        private boolean replaying = true;
        private long replayedUpTo;
        private final List<Envelope> held = new ArrayList<>();

        synchronized boolean pass(Envelope envelope) {
            String seq = envelope.attribute(Topics.SEQ);
            if (replaying) {
                held.add(envelope);
                return false;
            }
            return seq == null || Long.parseLong(seq) > replayedUpTo;
        }

        /** Records a replayed message as sent. */
        synchronized void replayed(long seq) {
            replayedUpTo = Math.max(replayedUpTo, seq);
        }

        /** Sends what was held back and not replayed (stored ones in sequence order), then lets live envelopes through. */
        synchronized void release(Consumer<TopicMessage> send) {
            held.sort(java.util.Comparator.comparingLong(e -> e.attribute(Topics.SEQ) == null ? Long.MAX_VALUE
                    : Long.parseLong(e.attribute(Topics.SEQ))));
            for (Envelope envelope : held) {
                String seq = envelope.attribute(Topics.SEQ);
                if (seq == null || Long.parseLong(seq) > replayedUpTo) {
                    send.accept(Topics.message(envelope));
                }
            }
            held.clear();
            replaying = false;
        }
    }
}
