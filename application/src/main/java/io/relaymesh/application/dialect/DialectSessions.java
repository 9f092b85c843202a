package io.relaymesh.application.dialect;

import io.relaymesh.application.connection.ClientConnection;
import io.relaymesh.application.connection.ConnectionHub;
import io.relaymesh.application.connection.Gateway;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.connection.Principal;
import io.relaymesh.application.connection.ServerMessage;
import io.relaymesh.application.delivery.Delivery;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a dialect may do with its connections, on the same sessions, registry and delivery as the
 * primary protocol: open, join and leave route keys (many per connection), reply, deliver an
 * envelope to route keys across the cluster, and clean up. Thread-safe.
 */
public final class DialectSessions {
    private static final Logger LOG = Logger.getLogger(DialectSessions.class.getName());

    private final Gateway gateway;
    private final ConnectionHub hub;
    private final Delivery delivery;

    public DialectSessions(Gateway gateway, ConnectionHub hub, Delivery delivery) {
        this.gateway = gateway;
        this.hub = hub;
        this.delivery = delivery;
    }

    /** Opens an admitted connection: its session (if exclusive) and its first route keys. */
    public Gateway.Opening open(Principal principal, ClientConnection connection, List<RouteKey> routes) {
        return gateway.open(principal, connection, routes, false);
    }

    /**
     * Opens a connection that resumes from {@code since}: joined to {@code routes}, then
     * {@code reply} (told whether everything missed follows), then what it missed, then live events.
     */
    public Gateway.Opening open(Principal principal, ClientConnection connection, List<RouteKey> routes, String since,
                                java.util.function.Function<Boolean, ServerMessage> reply) {
        return gateway.open(principal, connection, routes, false, since, reply);
    }

    /** What the session's client missed on {@code keys} after {@code since} (see {@link Gateway#replay}). */
    public Gateway.Replayed replay(LocalSession session, List<RouteKey> keys, String since) {
        return gateway.replay(session.principal(), keys, since);
    }

    /**
     * Joins {@code keys} (those not yet joined) for a client resuming from {@code since}: what it
     * missed on them is queued after {@code answer} (told whether it is all there) and before live
     * events. Returns the keys joined; a key the registry refused is left out.
     */
    public List<RouteKey> joinResuming(LocalSession session, List<RouteKey> keys, String since,
                                       java.util.function.Function<Boolean, ServerMessage> answer) {
        session.connection().beginReplay();
        List<RouteKey> joined = new java.util.ArrayList<>();
        try {
            for (RouteKey key : keys) {
                if (join(session, key)) {
                    joined.add(key);
                }
            }
            Gateway.Replayed replayed = gateway.replay(session.principal(), joined, since);
            session.connection().offer(answer.apply(replayed.recovered()));
            session.connection().endReplay(replayed.frames());
        } catch (RuntimeException e) {
            session.connection().endReplay(List.of());
            throw e;
        }
        return joined;
    }

    /**
     * Joins {@code key}; when this returns true the key routes to this pod cluster-wide.
     * False when the registry could not be written (the client should be told).
     */
    public boolean join(LocalSession session, RouteKey key) {
        try {
            hub.join(session, key);
            if (session.isClosed()) {
                hub.leave(session, key); // closed while joining: the route must not outlive it
            }
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "route_key=" + key + " could not be registered", e);
            return false;
        }
    }

    public void leave(LocalSession session, RouteKey key) {
        try {
            hub.leave(session, key);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "route_key=" + key + " could not be removed; it will expire", e);
        }
    }

    /** Queues one of the dialect's own frames (JSON text) for the client. */
    public void send(LocalSession session, String frame) {
        session.connection().offer(new ServerMessage.Text(frame));
    }

    /** Delivers {@code envelope} to its audience here and on every pod holding it. */
    public CompletableFuture<Set<PodId>> deliver(Envelope envelope) {
        return delivery.deliver(envelope);
    }

    /**
     * Delivers {@code envelopes} in their order (one route lookup for them all in cluster mode);
     * see {@link Delivery#deliverAll}.
     */
    public CompletableFuture<Set<PodId>> deliverAll(List<Envelope> envelopes) {
        return delivery.deliverAll(envelopes);
    }

    /** Whether the client may send one more frame now (the per-connection rate). */
    public boolean allowFrame(LocalSession session) {
        return gateway.allowFrame(session);
    }

    /** Cleans up after the connection ended, however it ended. Idempotent. */
    public void closed(LocalSession session) {
        gateway.closed(session);
    }
}
