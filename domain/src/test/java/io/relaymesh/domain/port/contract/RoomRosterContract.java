package io.relaymesh.domain.port.contract;

import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.RoomRoster;
import io.relaymesh.domain.port.RoomRoster.Claim;
import io.relaymesh.domain.port.RoomRoster.Held;
import io.relaymesh.domain.port.RoomRoster.Peer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link RoomRoster} must do; run against the in-memory and the Redis adapter. */
public abstract class RoomRosterContract {
    private static final Duration TTL = Duration.ofMinutes(1);
    private RoomRoster roster;
    /** Pods of this test only: the Redis adapter's pod set is shared by the tests of a class. */
    private PodId podA;
    private PodId podB;

    protected abstract RoomRoster createRoster();

    @BeforeEach
    void setUp() {
        roster = createRoster();
        String run = UUID.randomUUID().toString().substring(0, 8);
        podA = new PodId("pod-a-" + run);
        podB = new PodId("pod-b-" + run);
    }

    private static String newRoom() {
        return "room-" + UUID.randomUUID();
    }

    private static Peer peer(String id, PodId pod) {
        return new Peer(id, new SessionOwner(pod, new ConnectionId("conn-" + UUID.randomUUID())));
    }

    @Test
    void firstClaim_findsNobody_andLaterClaimsSeeThoseBefore() {
        String room = newRoom();
        Peer alice = peer("alice", podA);
        Peer bob = peer("bob", podB);

        assertEquals(new Claim.Claimed(List.of()), roster.claim(room, alice, 0, TTL));
        assertEquals(new Claim.Claimed(List.of(alice)), roster.claim(room, bob, 0, TTL));
        assertEquals(Set.of(alice, bob), Set.copyOf(roster.peers(List.of(room)).get(room)));
    }

    @Test
    void aPeerIdHeldInTheRoom_cannotBeClaimedAgain_evenByTheSameConnection_butInAnotherRoomItCan() {
        String room = newRoom();
        Peer first = peer("dup", podA);
        roster.claim(room, first, 0, TTL);

        assertEquals(new Claim.Taken(first), roster.claim(room, peer("dup", podB), 0, TTL));
        assertEquals(new Claim.Taken(first), roster.claim(room, first, 0, TTL));
        assertInstanceOf(Claim.Claimed.class, roster.claim(newRoom(), peer("dup", podB), 0, TTL));
    }

    @Test
    void aFullRoom_refusesTheNextPeer_andSaysWhoIsIn() {
        String room = newRoom();
        Peer one = peer("one", podA);
        Peer two = peer("two", podB);
        roster.claim(room, one, 2, TTL);
        roster.claim(room, two, 2, TTL);

        Claim third = roster.claim(room, peer("three", podA), 2, TTL);

        assertInstanceOf(Claim.Full.class, third);
        assertEquals(Set.of(one, two), Set.copyOf(((Claim.Full) third).peers()));
        assertTrue(roster.release(room, one));
        assertInstanceOf(Claim.Claimed.class, roster.claim(room, peer("three", podA), 2, TTL));
    }

    @Test
    void concurrentClaims_ofOneId_admitExactlyOne_andOfACappedRoom_neverPassTheCap() throws Exception {
        String room = newRoom();
        String capped = newRoom();
        List<Callable<Claim>> same = new ArrayList<>();
        List<Callable<Claim>> many = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Peer contender = peer("same", i % 2 == 0 ? podA : podB);
            same.add(() -> roster.claim(room, contender, 0, TTL));
            Peer other = peer("p" + i, podA);
            many.add(() -> roster.claim(capped, other, 5, TTL));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            long claimed = 0;
            for (Future<Claim> f : pool.invokeAll(same)) {
                claimed += f.get() instanceof Claim.Claimed ? 1 : 0;
            }
            assertEquals(1, claimed);
            claimed = 0;
            for (Future<Claim> f : pool.invokeAll(many)) {
                claimed += f.get() instanceof Claim.Claimed ? 1 : 0;
            }
            assertEquals(5, claimed);
            assertEquals(5, roster.peers(List.of(capped)).get(capped).size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void release_removesOnlyTheConnectionThatHoldsTheId() {
        String room = newRoom();
        Peer holder = peer("carol", podA);
        roster.claim(room, holder, 0, TTL);

        assertFalse(roster.release(room, peer("carol", podA)), "another connection with the same id");
        assertEquals(List.of(holder), roster.peers(List.of(room)).get(room));
        assertTrue(roster.release(room, holder));
        assertFalse(roster.release(room, holder), "only once");
        assertEquals(Map.of(room, List.of()), roster.peers(List.of(room)));
    }

    @Test
    void peers_ofManyRooms_inOneCall_withEmptyRoomsEmpty() {
        String one = newRoom();
        String two = newRoom();
        String none = newRoom();
        Peer a = peer("a", podA);
        Peer b = peer("b", podB);
        roster.claim(one, a, 0, TTL);
        roster.claim(two, b, 0, TTL);

        Map<String, List<Peer>> peers = roster.peers(List.of(one, two, none));

        assertEquals(Map.of(one, List.of(a), two, List.of(b), none, List.of()), peers);
    }

    @Test
    void eachPodsPeers_areIndexedByPod_untilReleasedOrForgotten() {
        String room = newRoom();
        String other = newRoom();
        Peer a1 = peer("a1", podA);
        Peer a2 = peer("a2", podA);
        Peer b1 = peer("b1", podB);
        roster.claim(room, a1, 0, TTL);
        roster.claim(other, a2, 0, TTL);
        roster.claim(room, b1, 0, TTL);

        assertTrue(roster.pods().containsAll(Set.of(podA, podB)));
        assertEquals(Set.of(new Held(room, a1), new Held(other, a2)), Set.copyOf(roster.heldBy(podA)));
        roster.release(other, a2);
        assertEquals(List.of(new Held(room, a1)), roster.heldBy(podA));

        roster.forget(podA);
        assertFalse(roster.pods().contains(podA));
        assertEquals(List.of(), roster.heldBy(podA));
        assertTrue(roster.pods().contains(podB));
        assertEquals(List.of(a1, b1).size(), roster.peers(List.of(room)).get(room).size(),
                "forgetting the index leaves the rooms alone");
    }

    @Test
    void refresh_putsBackAPeerReleasedByAnotherPod_andReportsOneTakenMeanwhile() {
        String room = newRoom();
        Peer kept = peer("kept", podA);
        Peer dropped = peer("dropped", podA);
        Peer stolen = peer("stolen", podA);
        for (Peer p : List.of(kept, dropped, stolen)) {
            roster.claim(room, p, 0, TTL);
        }
        // Another pod thought podA dead: released two of its peers; one id was claimed again elsewhere.
        roster.release(room, dropped);
        roster.release(room, stolen);
        Peer thief = peer("stolen", podB);
        roster.claim(room, thief, 0, TTL);

        RoomRoster.Refreshed refreshed = roster.refresh(podA,
                List.of(new Held(room, kept), new Held(room, dropped), new Held(room, stolen)), TTL);

        assertEquals(List.of(new Held(room, dropped)), refreshed.restored());
        assertEquals(List.of(new Held(room, stolen)), refreshed.lost());
        assertEquals(Set.of(kept, dropped, thief), Set.copyOf(roster.peers(List.of(room)).get(room)));
        assertTrue(roster.heldBy(podA).contains(new Held(room, dropped)), "the index has it again");
    }

    @Test
    void aRoomNobodyRefreshes_expiresAfterItsTtl_whileARefreshedOneStays() throws InterruptedException {
        String stale = newRoom();
        String fresh = newRoom();
        Peer gone = peer("gone", podB);
        Peer here = peer("here", podA);
        roster.claim(stale, gone, 0, Duration.ofMillis(400));
        roster.claim(fresh, here, 0, Duration.ofMillis(400));
        for (int i = 0; i < 4; i++) {
            Thread.sleep(200);
            roster.refresh(podA, List.of(new Held(fresh, here)), Duration.ofMillis(400));
        }

        assertEquals(List.of(), roster.peers(List.of(stale)).get(stale));
        assertEquals(List.of(here), roster.peers(List.of(fresh)).get(fresh));
        Set<String> rooms = new HashSet<>();
        roster.heldBy(podA).forEach(h -> rooms.add(h.room()));
        assertTrue(rooms.contains(fresh));
    }
}
