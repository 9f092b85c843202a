package io.relaymesh.application.admin;

import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.fakes.Cluster;
import io.relaymesh.application.fakes.Pod;
import io.relaymesh.application.fakes.Principals;
import io.relaymesh.application.fakes.RecordingConnection;
import io.relaymesh.application.connection.ErrorCode;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.KillSwitch;
import io.relaymesh.domain.port.SessionCatalog.HeldSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Listing and kicking sessions cluster-wide, on two pods sharing in-memory state. */
class SessionAdminTest {
    private static final SessionKey ALICE = SessionKey.user("acme", "support", "alice");

    private final Cluster cluster = new Cluster();
    private final Pod podA = cluster.pod("pod-a");
    private final Pod podB = cluster.pod("pod-b");
    private final SessionAdmin adminOnA = new SessionAdmin(podA.id, cluster.memoryLocks, cluster.locks,
            cluster.killSwitch, podA.sessions, cluster.settings);

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    @Test
    void list_findsSessionsOfEveryPod_byAnyOfTheirIds_caseInsensitively() {
        podA.open(Principals.user("acme", "support", "alice"));
        podB.open(Principals.user("acme", "sales", "bob"));
        podB.open(Principals.user("globex", "support", "Carol"));
        podA.open(Principals.admin("ops", "", "", ""));

        assertEquals(List.of("session:acme:sales:bob", "session:acme:support:alice"), keys(adminOnA.list("ACME", 10)));
        assertEquals(List.of("session:acme:support:alice", "session:globex:support:carol".replace("carol", "Carol")),
                keys(adminOnA.list("support", 10)));
        assertEquals(List.of("session:globex:support:Carol"), keys(adminOnA.list("carol", 10)));
        assertEquals(List.of("session:admin:ops"), keys(adminOnA.list("op", 10)));
        assertEquals(4, adminOnA.list("", 10).total());
        assertEquals(4, adminOnA.list(null, 10).total());
    }

    @Test
    void list_doesNotMatchTheKeyPrefixOrTheAdminMarker() {
        podA.open(Principals.user("acme", "support", "alice"));
        podA.open(Principals.admin("ops", "", "", ""));

        assertEquals(List.of(), keys(adminOnA.list("session", 10)));
        assertEquals(List.of(), keys(adminOnA.list("admin", 10)));
    }

    @Test
    void list_namesTheOwningPodAndConnection() {
        LocalSession onB = podB.open(Principals.user("acme", "support", "alice"));

        HeldSession held = adminOnA.list("alice", 10).items().getFirst();

        assertEquals(onB.owner(), held.owner());
        assertEquals(podB.id, held.owner().pod());
    }

    @Test
    void kick_ofASessionOnThisPod_failsItWithSessionKicked_andFreesTheSession() {
        RecordingConnection connection = cluster.connection();
        podA.open(Principals.user("acme", "support", "alice"), connection);

        SessionAdmin.Kick kick = adminOnA.kick(ALICE);

        assertEquals(new SessionAdmin.Kick.Kicked(ALICE, podA.id, true), kick);
        assertEquals(List.of(new RecordingConnection.Failure(ErrorCode.SessionKicked, "closed by an administrator")),
                connection.failures());
        assertEquals(Optional.empty(), cluster.locks.owner(ALICE));
        podA.open(Principals.user("acme", "support", "alice")); // the user may come straight back
    }

    @Test
    void kick_ofASessionOnAnotherPod_goesThroughTheKillSwitch_withTheKickReason() throws Exception {
        RecordingConnection connection = cluster.connection();
        podB.open(Principals.user("acme", "support", "alice"), connection);
        BlockingQueue<KillSwitch.KillRequest> seen = new LinkedBlockingQueue<>();
        try (AutoCloseable spy = cluster.killSwitch.listen(podB.id, seen::add);
             AutoCloseable listening = podB.listenForKills()) {

            SessionAdmin.Kick kick = adminOnA.kick(ALICE);

            assertEquals(new SessionAdmin.Kick.Kicked(ALICE, podB.id, true), kick);
            // The spy is a listener of its own: it may get the request after the kick returned.
            KillSwitch.KillRequest request = seen.poll(5, TimeUnit.SECONDS);
            assertEquals(KillSwitch.Reason.KICK, request == null ? null : request.reason());
            assertEquals(List.of(ErrorCode.SessionKicked), connection.failureCodes(), "not SessionConflict");
            assertEquals(Optional.empty(), cluster.locks.owner(ALICE));
        }
    }

    @Test
    void kick_ofASessionWhosePodNoLongerListens_releasesItsLockHere() {
        SessionOwner gone = new SessionOwner(new PodId("pod-gone"), new ConnectionId("c-gone"));
        cluster.locks.acquire(ALICE, gone, Duration.ofMinutes(1));

        SessionAdmin.Kick kick = adminOnA.kick(ALICE);

        assertEquals(new SessionAdmin.Kick.Kicked(ALICE, gone.pod(), true), kick);
        assertEquals(Optional.empty(), cluster.locks.owner(ALICE));
    }

    @Test
    void kick_ofAPodThatListensButDoesNotLetGo_saysTheLockIsNotReleasedYet() throws Exception {
        cluster.configure(io.relaymesh.application.fakes.TestSettings.takeoverTimeout(Duration.ofMillis(200)));
        SessionOwner stuck = new SessionOwner(podB.id, new ConnectionId("c-stuck"));
        cluster.locks.acquire(ALICE, stuck, Duration.ofMinutes(1));
        try (AutoCloseable deaf = cluster.killSwitch.listen(podB.id, request -> { })) {

            SessionAdmin.Kick kick = adminOnA.kick(ALICE);

            assertEquals(new SessionAdmin.Kick.Kicked(ALICE, podB.id, false), kick);
            assertTrue(cluster.locks.owner(ALICE).isPresent());
        }
    }

    @Test
    void kick_ofNoSuchSession_isNotFound() {
        assertEquals(new SessionAdmin.Kick.NotFound(ALICE), adminOnA.kick(ALICE));
    }

    @Test
    void killRequestForATakeover_stillClosesWithSessionConflict() {
        RecordingConnection connection = cluster.connection();
        LocalSession session = podA.open(Principals.user("acme", "support", "alice"), connection);

        podA.sessions.onKillRequest(new KillSwitch.KillRequest(ALICE, session.owner()));

        assertEquals(List.of(ErrorCode.SessionConflict), connection.failureCodes());
        assertFalse(cluster.locks.owner(ALICE).isPresent());
    }

    private static List<String> keys(io.relaymesh.domain.model.Listing<HeldSession> listing) {
        return listing.items().stream().map(held -> held.key().value()).toList();
    }
}
