package io.relaymesh.application.connection;

import io.relaymesh.application.fakes.Cluster;
import io.relaymesh.application.fakes.Pod;
import io.relaymesh.application.fakes.Principals;
import io.relaymesh.application.fakes.RecordingConnection;
import io.relaymesh.application.fakes.TestSettings;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.KillSwitch.KillRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Session migration between pods: dead pods, kill requests, the takeover timeout. */
class SessionTakeoverAcrossPodsTest {
    private static final Principal.User ALICE = Principals.user("c1", "a1", "alice");
    private static final SessionKey ALICE_KEY = new SessionKey("session:c1:a1:alice");
    private static final RouteKey AGENT = new RouteKey("agent:c1:a1");

    private final Cluster cluster = new Cluster();
    private final Pod podA = cluster.pod("pod-a");
    private final List<KillRequest> killRequestsToB = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    private Set<PodId> podsFor(RouteKey key) {
        return cluster.routes.lookup(List.of(key)).get(key);
    }

    private SessionOwner holdLockOn(PodId pod) {
        SessionOwner owner = new SessionOwner(pod, new ConnectionId("conn-on-" + pod));
        cluster.memoryLocks.acquire(ALICE_KEY, owner, cluster.settings.get().sessionTtl());
        return owner;
    }

    @Test
    void lockHeldByAConnectionOfADeadPod_isTakenOverAtOnce_withoutAKillRequest() {
        PodId dead = new PodId("pod-dead");
        cluster.pods.heartbeat(dead, "pod-dead:9090", Duration.ofSeconds(5));
        cluster.killSwitch.listen(dead, killRequestsToB::add);
        holdLockOn(dead);
        cluster.clock.advance(Duration.ofSeconds(6)); // heartbeat lapsed, lock (30 s) still live
        cluster.configure(TestSettings.takeoverTimeout(Duration.ofSeconds(10)));
        RecordingConnection connection = cluster.connection();

        long started = System.nanoTime();
        LocalSession session = podA.open(ALICE, connection);

        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(5)) < 0,
                "a dead pod's lock must not be waited for");
        assertEquals(Optional.of(session.owner()), cluster.locks.owner(ALICE_KEY));
        assertEquals(List.of(new ServerMessage.Ready()), connection.offered());
        assertEquals(1, podA.metrics.count("session_takeover:dead_pod"));
        assertEquals(List.of(), killRequestsToB);
    }

    @Test
    void lockHeldByALivePod_sendsItAKillRequest_andTheNewConnectionGetsTheSessionOnceItIsReleased() {
        Pod podB = cluster.pod("pod-b");
        SessionOwner victim = holdLockOn(podB.id);
        cluster.killSwitch.listen(podB.id, request -> {
            killRequestsToB.add(request);
            cluster.memoryLocks.release(request.key(), request.victim());
        });
        RecordingConnection connection = cluster.connection();

        LocalSession session = podA.open(ALICE, connection);

        assertEquals(List.of(new KillRequest(ALICE_KEY, victim)), killRequestsToB);
        assertEquals(Optional.of(session.owner()), cluster.locks.owner(ALICE_KEY));
        assertEquals(List.of(new ServerMessage.Ready()), connection.offered());
        assertEquals(Set.of(podA.id), podsFor(AGENT));
        assertEquals(1, podA.metrics.count("session_takeover:kill_request"));
    }

    @Test
    void lockHeldByALivePodThatNeverReleasesIt_refusesTheNewConnectionWithSessionConflict_afterTheTimeout() {
        Duration timeout = Duration.ofMillis(300);
        cluster.configure(TestSettings.takeoverTimeout(timeout));
        Pod podB = cluster.pod("pod-b");
        SessionOwner victim = holdLockOn(podB.id);
        cluster.killSwitch.listen(podB.id, killRequestsToB::add);
        RecordingConnection connection = cluster.connection();

        long started = System.nanoTime();
        Gateway.Opening opening = podA.gateway.open(ALICE, connection);
        Duration waited = Duration.ofNanos(System.nanoTime() - started);

        Gateway.Opening.Refused refused = assertInstanceOf(Gateway.Opening.Refused.class, opening);
        assertEquals(ErrorCode.SessionConflict, refused.code());
        assertTrue(waited.compareTo(timeout) >= 0, "waited only " + waited);
        assertEquals(List.of(new KillRequest(ALICE_KEY, victim)), killRequestsToB, "one kill request, not one per poll");
        assertEquals(Optional.of(victim), cluster.locks.owner(ALICE_KEY));
        assertEquals(List.of(), connection.offered());
        assertEquals(Set.of(), podsFor(AGENT));
        assertEquals(0, podA.gateway.connections());
    }

    @Test
    void userMovingToAnotherPod_closesTheOldConnectionWithSessionConflict_andTheRouteFollows() throws Exception {
        Pod podB = cluster.pod("pod-b");
        try (AutoCloseable a = podA.listenForKills(); AutoCloseable b = podB.listenForKills()) {
            RecordingConnection onB = cluster.connection();
            RecordingConnection onA = cluster.connection();
            LocalSession old = podB.open(ALICE, onB);

            LocalSession moved = podA.open(ALICE, onA);
            podB.gateway.closed(old); // what B's web adapter does once the failed socket ends

            assertEquals(List.of(ErrorCode.SessionConflict), onB.failureCodes());
            assertEquals(List.of(new ServerMessage.Ready()), onA.offered());
            assertEquals(Optional.of(moved.owner()), cluster.locks.owner(ALICE_KEY));
            assertEquals(Set.of(podA.id), podsFor(AGENT));
        }
    }

    @Test
    void killRequestForALocalConnection_failsItWithSessionConflict_andReleasesItsLock() {
        RecordingConnection connection = cluster.connection();
        LocalSession session = podA.open(ALICE, connection);

        podA.sessions.onKillRequest(new KillRequest(ALICE_KEY, session.owner()));

        assertEquals(List.of(ErrorCode.SessionConflict), connection.failureCodes());
        assertEquals(Optional.empty(), cluster.locks.owner(ALICE_KEY));
    }

    @Test
    void killRequestForAConnectionNoLongerHere_releasesItsStaleLock() {
        SessionOwner gone = holdLockOn(podA.id);

        podA.sessions.onKillRequest(new KillRequest(ALICE_KEY, gone));

        assertEquals(Optional.empty(), cluster.locks.owner(ALICE_KEY));
    }

    @Test
    void killRequestForAnOlderConnection_leavesTheCurrentConnectionOfTheSameUserAlone() {
        RecordingConnection current = cluster.connection();
        LocalSession session = podA.open(ALICE, current);
        SessionOwner older = new SessionOwner(podA.id, new ConnectionId("older"));

        podA.sessions.onKillRequest(new KillRequest(ALICE_KEY, older));

        assertEquals(List.of(), current.failures());
        assertEquals(Optional.of(session.owner()), cluster.locks.owner(ALICE_KEY));
    }
}
