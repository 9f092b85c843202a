package io.relaymesh.application.dialect;

import io.relaymesh.application.connection.ConnectionHub;
import io.relaymesh.application.connection.Gateway;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.connection.Principal;
import io.relaymesh.application.connection.ServerMessage;
import io.relaymesh.application.delivery.Delivery;
import io.relaymesh.application.fakes.Cluster;
import io.relaymesh.application.fakes.Pod;
import io.relaymesh.application.fakes.RecordingConnection;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DialectSessionsTest {
    private final Cluster cluster = new Cluster();
    private final Pod pod = cluster.pod("pod-a");
    private final DialectSessions sessions = new DialectSessions(pod.gateway, pod.hub, Delivery.localOnly(pod.delivery));

    /** A dialect's client: not exclusive, so it takes no lock and many may share a name. */
    private record Guest(String id) implements Principal {
        public SessionKey sessionKey() {
            return new SessionKey("session:guest:" + id);
        }

        public RouteKey baseRoute() {
            return RouteKey.of("room", "lobby");
        }

        public Instant expiresAt() {
            return Instant.MAX;
        }

        public GatewayMetrics.Kind kind() {
            return GatewayMetrics.Kind.user;
        }

        @Override
        public boolean exclusive() {
            return false;
        }
    }

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    private Set<Object> holders(String room) {
        return Set.copyOf(cluster.routes.lookup(List.of(RouteKey.of("room", room)))
                .getOrDefault(RouteKey.of("room", room), Set.of()));
    }

    @Test
    void aSessionTracksEveryKeyItJoined_theHubReportsJoinsAndLeaves_andCloseLeavesThemAll() {
        List<String> events = new ArrayList<>();
        pod.hub.addListener(new ConnectionHub.MembershipListener() {
            public void joined(LocalSession session, RouteKey key) {
                events.add("+" + key);
            }

            public void left(LocalSession session, RouteKey key) {
                events.add("-" + key);
            }
        });
        RecordingConnection connection = cluster.connection();
        LocalSession session = assertInstanceOf(Gateway.Opening.Opened.class, sessions.open(new Guest("g1"), connection,
                List.of(RouteKey.of("room", "a"), RouteKey.of("room", "b")))).session();
        assertTrue(sessions.join(session, RouteKey.of("room", "c")));
        sessions.leave(session, RouteKey.of("room", "a"));
        assertEquals(List.of(RouteKey.of("room", "b"), RouteKey.of("room", "c")), session.joined());
        assertEquals(Set.of(pod.id), holders("c"));
        assertEquals(Set.of(), holders("a"));

        sessions.deliver(new Envelope("e1", List.of(RouteKey.of("room", "b")), "{}".getBytes(), Map.of(), 1)).join();
        sessions.deliver(new Envelope("e2", List.of(RouteKey.of("room", "a")), "{}".getBytes(), Map.of(), 1)).join();
        assertEquals(List.of("e1"), connection.offered(ServerMessage.EventFrame.class).stream()
                .map(f -> f.event().id()).toList());
        assertEquals(0, connection.offered(ServerMessage.Ready.class).size(), "a dialect says its own hello");

        sessions.closed(session);
        assertEquals(List.of(), session.joined());
        assertEquals(List.of("+room:a", "+room:b", "+room:c", "-room:a", "-room:b", "-room:c"), events);
        assertEquals(Set.of(), holders("b"));
    }

    @Test
    void anEnvelopeExcludingAConnection_skipsOnlyThatOne() {
        RecordingConnection sender = cluster.connection();
        RecordingConnection other = cluster.connection();
        sessions.open(new Guest("s1"), sender, List.of(RouteKey.of("room", "x")));
        sessions.open(new Guest("s2"), other, List.of(RouteKey.of("room", "x")));
        sessions.deliver(new Envelope("e1", List.of(RouteKey.of("room", "x")), "{}".getBytes(), Map.of(), 1,
                sender.id())).join();
        assertEquals(0, sender.offered(ServerMessage.EventFrame.class).size());
        assertEquals(1, other.offered(ServerMessage.EventFrame.class).size());
    }
}
