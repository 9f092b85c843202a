package io.relaymesh.application.dialect.topics;

import io.relaymesh.domain.topics.TopicLog;
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
 * replayed, then lets each message through once, in sequence order (a message both replayed and
 * delivered live is sent once). Many connections per user are fine. Thread-safe.
 */
public final class Subscriber implements Principal {
    private final String user;
    private final String connection = UUID.randomUUID().toString();
    private final Instant expiresAt;
    private volatile String clientId;
    private final ConcurrentHashMap<String, Gate> gates = new ConcurrentHashMap<>();

    public Subscriber(String user, Instant expiresAt) {
        this.user = user;
        this.expiresAt = expiresAt;
    }

    public String user() {
        return user;
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

    /** One topic's order and replay state. */
    static final class Gate {
        private boolean replaying = true;
        private long delivered;
        private final List<Envelope> held = new ArrayList<>();

        synchronized boolean pass(Envelope envelope) {
            String seq = envelope.attribute(Topics.SEQ);
            if (seq == null) {
                return !replaying; // never stored: nothing to order it against
            }
            if (replaying) {
                held.add(envelope);
                return false;
            }
            long n = Long.parseLong(seq);
            if (n <= delivered) {
                return false;
            }
            delivered = n;
            return true;
        }

        /** Records a replayed message as sent. */
        synchronized void replayed(long seq) {
            delivered = Math.max(delivered, seq);
        }

        /** Sends what was held back (newer than the replay), then lets live envelopes through. */
        synchronized void release(Consumer<TopicMessage> send) {
            held.sort((a, b) -> Long.compare(Long.parseLong(a.attribute(Topics.SEQ)), Long.parseLong(b.attribute(Topics.SEQ))));
            for (Envelope envelope : held) {
                long n = Long.parseLong(envelope.attribute(Topics.SEQ));
                if (n > delivered) {
                    delivered = n;
                    send.accept(Topics.message(envelope));
                }
            }
            held.clear();
            replaying = false;
        }
    }
}
