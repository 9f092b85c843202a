package io.relaymesh.application.delivery;

import io.relaymesh.application.connection.ClientConnection;
import io.relaymesh.application.connection.ConnectionHub;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.connection.ServerMessage;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.RouteRegistry;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers an envelope: queues it for this pod's matching connections and looks up the other pods
 * holding its route keys in the registry (one round trip) to forward to. Queuing
 * never waits on a slow client: each connection has its own bounded buffer and writer.
 * Thread-safe.
 */
public final class EventDelivery {
    private final ConnectionHub hub;
    private final RouteRegistry registry;
    private static final Logger LOG = Logger.getLogger(EventDelivery.class.getName());

    public EventDelivery(ConnectionHub hub, RouteRegistry registry) {
        this.hub = hub;
        this.registry = registry;
    }

    /** This pod. */
    public PodId self() {
        return hub.self();
    }

    /**
     * Delivers {@code event} to this pod's matching connections and looks up (one round trip)
     * which other pods hold its route keys, to forward to. Local delivery does not depend on the
     * registry: this pod's own sessions are the truth about this pod, so an event still reaches
     * them while the registry is stale or unreachable.
     */
    public DeliveryReport deliver(Envelope event) {
        return lookup(event, deliverLocally(event));
    }

    /**
     * Delivers {@code events}, in order, to this pod's matching connections, then looks up in one
     * round trip which other pods hold any of their route keys. The lookup comes after every local
     * delivery, so a pod that registered a key before the last of them was handed in is found.
     *
     * @return the other pods per route key (this pod left out), or null when the lookup failed
     */
    public Map<RouteKey, Set<PodId>> deliverAll(List<Envelope> events) {
        Set<RouteKey> keys = new java.util.LinkedHashSet<>();
        for (Envelope event : events) {
            deliverLocally(event);
            keys.addAll(event.audience());
        }
        Map<RouteKey, Set<PodId>> routes;
        try {
            routes = registry.lookup(keys);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "route lookup for " + keys + " failed; " + events.size()
                    + " envelopes reached only this pod's connections", e);
            return null;
        }
        Map<RouteKey, Set<PodId>> remote = new java.util.HashMap<>();
        routes.forEach((key, pods) -> {
            Set<PodId> others = new HashSet<>(pods);
            others.remove(hub.self());
            if (!others.isEmpty()) {
                remote.put(key, others);
            }
        });
        return remote;
    }

    /** Looks up the other pods for {@code event} without delivering it here (a redelivery this pod already served). */
    public DeliveryReport lookupOnly(Envelope event) {
        return lookup(event, new int[]{0, 0});
    }

    private DeliveryReport lookup(Envelope event, int[] counts) {
        List<RouteKey> keys = event.audience();
        Map<RouteKey, Set<PodId>> routes;
        try {
            routes = registry.lookup(keys);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "route lookup for " + event.audience() + " failed; event_id="
                    + event.id() + " reached only this pod's connections", e);
            return new DeliveryReport(counts[0], counts[1], Set.of(), true);
        }
        Set<PodId> remote = new HashSet<>();
        for (Set<PodId> pods : routes.values()) {
            for (PodId pod : pods) {
                if (!pod.equals(hub.self())) {
                    remote.add(pod);
                }
            }
        }
        return new DeliveryReport(counts[0], counts[1], remote, false);
    }

    /**
     * Queues {@code event} for this pod's matching connections without a registry lookup (an
     * event forwarded by another pod that already looked it up).
     *
     * @return {queued, dropped}
     */
    public int[] deliverLocally(Envelope event) {
        Collection<LocalSession> targets = List.of();
        boolean merged = false;
        for (RouteKey key : event.audience()) {
            Collection<LocalSession> members = hub.members(key);
            if (members.isEmpty()) {
                continue;
            }
            hub.touch(key);
            if (targets.isEmpty()) {
                // Usually one key has members: iterate them as they are, without copying a
                // broadcast's thousand sessions into a set for every event.
                targets = members;
            } else {
                if (!merged) {
                    targets = new LinkedHashSet<>(targets);
                    merged = true;
                }
                targets.addAll(members);
            }
        }
        ServerMessage frame = new ServerMessage.EventFrame(event);
        int queued = 0;
        int dropped = 0;
        for (LocalSession session : targets) {
            if (session.isClosed() || session.connection().id().equals(event.exclude())
                    || !session.principal().mayReceive(event)) {
                continue;
            }
            session.touch();
            ClientConnection.Offer offer = session.connection().offer(frame);
            switch (offer) {
                case QUEUED -> queued++;
                case QUEUED_DROPPED_OLDEST -> {
                    queued++;
                    dropped++;
                }
                case REJECTED -> dropped++;
            }
        }
        return new int[]{queued, dropped};
    }


}
