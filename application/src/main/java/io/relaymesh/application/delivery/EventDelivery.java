package io.relaymesh.application.delivery;

import io.relaymesh.application.connection.ClientConnection;
import io.relaymesh.application.connection.ConnectionHub;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.connection.Principal;
import io.relaymesh.application.connection.ServerMessage;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.domain.model.Event;
import io.relaymesh.domain.model.EventSubject;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.RouteRegistry;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Delivers an event: looks up the pods holding its route keys in the registry (one round trip),
 * queues it for this pod's matching connections and reports the other pods to forward to. Queuing
 * never waits on a slow client: each connection has its own bounded buffer and writer.
 * Thread-safe.
 */
public final class EventDelivery {
    private final ConnectionHub hub;
    private final RouteRegistry registry;
    private final GatewayMetrics metrics;

    public EventDelivery(ConnectionHub hub, RouteRegistry registry, GatewayMetrics metrics) {
        this.hub = hub;
        this.registry = registry;
        this.metrics = metrics;
    }

    /** Routes {@code event} through the registry: local connections now, other pods reported. */
    public DeliveryReport deliver(Event event) {
        List<RouteKey> keys = event.subject().routeKeys();
        Map<RouteKey, Set<PodId>> routes = registry.lookup(keys);
        Set<PodId> remote = new HashSet<>();
        boolean local = false;
        for (Set<PodId> pods : routes.values()) {
            for (PodId pod : pods) {
                if (pod.equals(hub.self())) {
                    local = true;
                } else {
                    remote.add(pod);
                }
            }
        }
        if (!local) {
            return new DeliveryReport(0, 0, remote);
        }
        int[] counts = deliverLocally(event);
        return new DeliveryReport(counts[0], counts[1], remote);
    }

    /**
     * Queues {@code event} for this pod's matching connections without a registry lookup (an
     * event forwarded by another pod that already looked it up).
     *
     * @return {queued, dropped}
     */
    public int[] deliverLocally(Event event) {
        Set<LocalSession> targets = new LinkedHashSet<>();
        for (RouteKey key : event.subject().routeKeys()) {
            targets.addAll(hub.members(key));
        }
        ServerMessage frame = new ServerMessage.EventFrame(event);
        int queued = 0;
        int dropped = 0;
        for (LocalSession session : targets) {
            if (session.isClosed() || !mayReceive(session.principal(), event.subject())) {
                continue;
            }
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

    /** Admin tokens may restrict the companies whose events an admin sees. */
    private static boolean mayReceive(Principal principal, EventSubject subject) {
        return switch (principal) {
            case Principal.User user -> true;
            case Principal.Admin admin -> admin.claims().mayView(subject.companyId());
        };
    }

    GatewayMetrics metrics() {
        return metrics;
    }
}
