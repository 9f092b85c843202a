package io.relaymesh.application.connection;

import io.relaymesh.application.fakes.Cluster;
import io.relaymesh.application.fakes.Pod;
import io.relaymesh.application.fakes.Principals;
import io.relaymesh.application.fakes.RecordingConnection;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.testkit.PrimaryEvents;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Opening and closing connections on one pod: the session lock, the route registry, the hub. */
class GatewaySessionLifecycleTest {
    private static final Principal.User ALICE = Principals.user("c1", "a1", "alice");
    private static final Principal.User BOB = Principals.user("c1", "a1", "bob");
    private static final SessionKey ALICE_KEY = new SessionKey("session:c1:a1:alice");
    private static final RouteKey AGENT = new RouteKey("agent:c1:a1");

    private final Cluster cluster = new Cluster();
    private final Pod pod = cluster.pod("pod-a");
    private final Gateway gateway = pod.gateway;

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    private Set<PodId> podsFor(RouteKey key) {
        return cluster.routes.lookup(List.of(key)).get(key);
    }

    @Test
    void opening_offersReadyFirst_takesTheSessionLock_andRegistersTheAgentRouteForThisPod() {
        RecordingConnection connection = cluster.connection();

        LocalSession session = pod.open(ALICE, connection);

        assertEquals(List.of(new ServerMessage.Ready()), connection.offered());
        assertEquals(new SessionOwner(pod.id, connection.id()), session.owner());
        assertEquals(Optional.of(session.owner()), cluster.locks.owner(ALICE_KEY));
        assertEquals(Set.of(pod.id), podsFor(AGENT));
        assertEquals(Optional.of(session), pod.hub.bySessionKey(ALICE_KEY));
        assertEquals(1, gateway.connections());
        assertEquals(1, pod.metrics.count("connection_opened:user"));
    }

    @Test
    void openedConnection_receivesEventsOnlyAfterReady() {
        RecordingConnection connection = cluster.connection();
        pod.open(ALICE, connection);
        Envelope event = PrimaryEvents.event("e1", PrimaryEvents.chats("c1", "a1"), "{}", 0);

        pod.delivery.deliver(event);

        assertEquals(List.of(new ServerMessage.Ready(), new ServerMessage.EventFrame(event)), connection.offered());
    }

    @Test
    void adminConnection_registersItsSubscriptionRoute() {
        pod.open(Principals.admin("boss", "c1", "", ""));

        assertEquals(Set.of(pod.id), podsFor(new RouteKey("admin:c1:*")));
        assertEquals(1, pod.metrics.count("connection_opened:admin"));
    }

    @Test
    void secondConnectionForSameUser_failsTheFirstWithSessionConflict_andTheSecondHoldsTheSession() {
        RecordingConnection first = cluster.connection();
        RecordingConnection second = cluster.connection();
        pod.open(ALICE, first);

        LocalSession newer = pod.open(ALICE, second);

        assertEquals(List.of(ErrorCode.SessionConflict), first.failureCodes());
        assertEquals(List.of(new ServerMessage.Ready()), second.offered());
        assertEquals(List.of(), second.failures());
        assertEquals(Optional.of(new SessionOwner(pod.id, second.id())), cluster.locks.owner(ALICE_KEY));
        assertEquals(Optional.of(newer), pod.hub.bySessionKey(ALICE_KEY));
        assertEquals(1, pod.metrics.count("session_takeover:local"));
    }

    @Test
    void displacedConnectionClosingAfterTheTakeover_leavesTheNewerSessionsLockAndRouteAlone() {
        LocalSession older = pod.open(ALICE);
        LocalSession newer = pod.open(ALICE);

        gateway.closed(older); // what the web adapter does once the failed socket ends

        assertEquals(Optional.of(newer.owner()), cluster.locks.owner(ALICE_KEY));
        assertEquals(Set.of(pod.id), podsFor(AGENT));
        assertEquals(Optional.of(newer), pod.hub.bySessionKey(ALICE_KEY));
        assertEquals(1, gateway.connections());
    }

    @Test
    void lockLeftBehindByAConnectionOfThisPodThatIsGone_isTakenOverAtOnce() {
        SessionOwner ghost = new SessionOwner(pod.id, new ConnectionId("ghost"));
        cluster.memoryLocks.acquire(ALICE_KEY, ghost, cluster.settings.get().sessionTtl());
        RecordingConnection connection = cluster.connection();

        LocalSession session = pod.open(ALICE, connection);

        assertEquals(Optional.of(session.owner()), cluster.locks.owner(ALICE_KEY));
        assertEquals(List.of(new ServerMessage.Ready()), connection.offered());
        assertEquals(1, pod.metrics.count("session_takeover:stale_local"));
    }

    @Test
    void closingTheOnlyConnection_releasesTheLock_unregistersTheRoute_andForgetsTheSession() {
        LocalSession session = pod.open(ALICE);

        gateway.closed(session);

        assertEquals(Optional.empty(), cluster.locks.owner(ALICE_KEY));
        assertEquals(Set.of(), podsFor(AGENT));
        assertEquals(Optional.empty(), pod.hub.bySessionKey(ALICE_KEY));
        assertEquals(0, gateway.connections());
        assertTrue(session.isClosed());
        assertEquals(1, pod.metrics.count("connection_closed:user"));
    }

    @Test
    void agentRoute_staysRegisteredUntilTheLastLocalUserOfThatAgentLeaves() {
        LocalSession alice = pod.open(ALICE);
        LocalSession bob = pod.open(BOB);

        gateway.closed(alice);
        assertEquals(Set.of(pod.id), podsFor(AGENT));
        assertEquals(List.of(bob), List.copyOf(pod.hub.members(AGENT)));

        gateway.closed(bob);
        assertEquals(Set.of(), podsFor(AGENT));
    }

    @Test
    void closed_isIdempotent_andASecondCallDoesNotTouchALaterSessionOfTheSameUser() {
        LocalSession first = pod.open(ALICE);
        gateway.closed(first);
        LocalSession second = pod.open(ALICE);

        gateway.closed(first);

        assertEquals(Optional.of(second.owner()), cluster.locks.owner(ALICE_KEY));
        assertEquals(Set.of(pod.id), podsFor(AGENT));
        assertEquals(Optional.of(second), pod.hub.bySessionKey(ALICE_KEY));
        assertEquals(1, pod.metrics.count("connection_closed:user"));
    }

    @Test
    void closing_alsoUnregistersTheSelectedChatRoute() {
        LocalSession session = pod.open(ALICE);
        assertInstanceOf(Gateway.Handled.Ok.class, gateway.handle(session, new ClientMessage.SelectChat("chat1")));
        RouteKey chat = new RouteKey("chat:c1:a1:chat1");
        assertEquals(Set.of(pod.id), podsFor(chat));

        gateway.closed(session);

        assertEquals(Set.of(), podsFor(chat));
        assertEquals(List.of(), List.copyOf(pod.hub.members(chat)));
    }
}
