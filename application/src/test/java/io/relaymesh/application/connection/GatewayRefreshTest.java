package io.relaymesh.application.connection;

import io.relaymesh.application.fakes.Cluster;
import io.relaymesh.application.fakes.InterceptingSessionLocks;
import io.relaymesh.application.fakes.Pod;
import io.relaymesh.application.fakes.Principals;
import io.relaymesh.application.fakes.RecordingConnection;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.model.UserClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The periodic refresh: locks and routes extended, expired or displaced sessions closed. */
class GatewayRefreshTest {
    private static final Principal.User ALICE = Principals.user("c1", "a1", "alice");
    private static final SessionKey ALICE_KEY = new SessionKey("session:c1:a1:alice");
    private static final RouteKey AGENT = new RouteKey("agent:c1:a1");

    private InterceptingSessionLocks intercepting;
    private final Cluster cluster = new Cluster(locks -> intercepting = new InterceptingSessionLocks(locks));
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
    void refresh_extendsTheLocksAndRoutesOfLiveSessions() {
        Duration step = cluster.settings.get().sessionTtl().dividedBy(2);
        Duration span = cluster.settings.get().routeTtl().multipliedBy(3);
        RecordingConnection connection = cluster.connection();
        LocalSession session = pod.open(ALICE, connection);

        for (Duration elapsed = Duration.ZERO; elapsed.compareTo(span) < 0; elapsed = elapsed.plus(step)) {
            cluster.clock.advance(step);
            gateway.refresh();
        }

        assertEquals(Optional.of(session.owner()), cluster.locks.owner(ALICE_KEY));
        assertEquals(Set.of(pod.id), podsFor(AGENT));
        assertEquals(List.of(), connection.failures());
    }

    @Test
    void withoutRefresh_theLockAndRouteLapse() {
        pod.open(ALICE);

        cluster.clock.advance(cluster.settings.get().routeTtl().plusSeconds(1));

        assertEquals(Optional.empty(), cluster.locks.owner(ALICE_KEY));
        assertEquals(Set.of(), podsFor(AGENT));
    }

    /** A user whose token expires well within one session-lock TTL, so only the token decides. */
    private Principal.User userWithTokenFor(String user, Duration lifetime) {
        return new Principal.User(new UserClaims("c1", "a1", user, cluster.clock.now().plus(lifetime)));
    }

    @Test
    void refresh_closesASessionWhoseTokenExpired_withInvalidToken() {
        RecordingConnection connection = cluster.connection();
        LocalSession session = pod.open(userWithTokenFor("alice", Duration.ofSeconds(20)), connection);
        cluster.clock.advance(Duration.ofSeconds(20));

        gateway.refresh();

        assertEquals(List.of(ErrorCode.InvalidToken), connection.failureCodes());
        assertTrue(session.isClosed());
        assertEquals(Optional.empty(), cluster.locks.owner(ALICE_KEY));
        assertEquals(Set.of(), podsFor(AGENT));
        assertEquals(0, gateway.connections());
    }

    @Test
    void refresh_keepsASessionWhoseTokenHasNotExpiredYet() {
        RecordingConnection expiring = cluster.connection();
        RecordingConnection lasting = cluster.connection();
        pod.open(userWithTokenFor("alice", Duration.ofSeconds(20)), expiring);
        pod.open(userWithTokenFor("bob", Duration.ofSeconds(21)), lasting);
        cluster.clock.advance(Duration.ofSeconds(20));

        gateway.refresh();

        assertEquals(List.of(ErrorCode.InvalidToken), expiring.failureCodes());
        assertEquals(List.of(), lasting.failures());
        assertEquals(1, gateway.connections());
        assertEquals(Set.of(pod.id), podsFor(AGENT));
    }

    @Test
    void refresh_closesASessionWhoseLockWasTakenOverElsewhere_withSessionConflict() {
        RecordingConnection connection = cluster.connection();
        LocalSession session = pod.open(ALICE, connection);
        SessionOwner elsewhere = new SessionOwner(new PodId("pod-b"), new ConnectionId("conn-b"));
        cluster.memoryLocks.takeOver(ALICE_KEY, session.owner(), elsewhere, Duration.ofSeconds(30));

        gateway.refresh();

        assertEquals(List.of(ErrorCode.SessionConflict), connection.failureCodes());
        assertTrue(session.isClosed());
        assertEquals(Optional.of(elsewhere), cluster.locks.owner(ALICE_KEY), "the new owner's lock is left alone");
        assertEquals(Set.of(), podsFor(AGENT));
        assertEquals(0, gateway.connections());
    }

    @Test
    void refresh_retakesALockThatLapsed_andKeepsTheSession() {
        // As after a Redis restart or an outage longer than the session TTL: nobody else holds it.
        RecordingConnection connection = cluster.connection();
        LocalSession session = pod.open(ALICE, connection);
        cluster.memoryLocks.release(ALICE_KEY, session.owner());

        gateway.refresh();

        assertEquals(List.of(), connection.failureCodes());
        assertEquals(Optional.of(session.owner()), cluster.locks.owner(ALICE_KEY));
        assertEquals(1, gateway.connections());
    }

    @Test
    void refresh_whileANewerConnectionOfTheSameUserOpensOnThisPod_keepsTheNewerConnection() {
        RecordingConnection older = cluster.connection();
        RecordingConnection newer = cluster.connection();
        pod.open(ALICE, older);
        // The refresh has collected the older owner when the newer connection takes the session.
        intercepting.beforeNextRefreshAll(() -> pod.open(ALICE, newer));

        gateway.refresh();

        assertEquals(List.of(ErrorCode.SessionConflict), older.failureCodes());
        assertEquals(List.of(), newer.failures(), "the newer connection must not pay for the older one's lost lock");
        assertEquals(Optional.of(new SessionOwner(pod.id, newer.id())), cluster.locks.owner(ALICE_KEY));
        assertEquals(Set.of(pod.id), podsFor(AGENT));
    }
}
