package io.relaymesh.application.rooms;

import io.relaymesh.adapters.memory.InMemoryRevocationList;
import io.relaymesh.adapters.memory.InMemoryRoomRoster;
import io.relaymesh.application.connection.Gateway;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.connection.ServerMessage;
import io.relaymesh.application.delivery.Delivery;
import io.relaymesh.application.dialect.DialectSessions;
import io.relaymesh.application.fakes.Cluster;
import io.relaymesh.application.fakes.Pod;
import io.relaymesh.application.fakes.RecordingConnection;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.JwtVerifier;
import io.relaymesh.domain.port.RoomRoster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The peer rooms use case on two pods that share one roster, route registry and pod directory, with
 * a delivery that reaches both pods as the core's cluster delivery does. Frames are read back as the
 * replies (text) and envelopes (by their attributes) each connection was offered.
 */
class RoomsTest {
    private static final RoomsSettings OPEN = new RoomsSettings(1024, 3, 0, 0, false, Duration.ofSeconds(10),
            Duration.ofSeconds(60), Duration.ofMinutes(5));

    private final Cluster cluster = new Cluster();
    private final InMemoryRoomRoster roster = new InMemoryRoomRoster(cluster.clock);
    private final AtomicReference<RoomsSettings> settings = new AtomicReference<>(OPEN);
    private final AtomicReference<JwtVerifier> jwt = new AtomicReference<>(JwtVerifier.DISABLED);
    private final InMemoryRevocationList revocations = new InMemoryRevocationList(cluster.clock);
    private final List<Node> nodes = new ArrayList<>();
    private final Node a = node("pod-a");
    private final Node b = node("pod-b");

    /** One pod with its rooms. */
    private final class Node {
        final Pod pod;
        final Rooms rooms;
        final RoomsUpkeep upkeep;
        final DialectSessions sessions;

        Node(String id) {
            pod = cluster.pod(id);
            Delivery everywhere = envelope -> {
                nodes.forEach(n -> n.pod.delivery.deliverLocally(envelope));
                return CompletableFuture.completedFuture(Set.of());
            };
            sessions = new DialectSessions(pod.gateway, pod.hub, everywhere);
            rooms = new Rooms(sessions, roster, cluster.pods, pod.id, settings::get, jwt::get, revocations,
                    new TextReplies(), new RoomEnvelopes(sessions, cluster.clock, RoomsMetrics.NOOP), RoomsMetrics.NOOP,
                    Runnable::run);
            upkeep = new RoomsUpkeep(rooms, roster, cluster.pods, pod.id, settings::get, cluster.clock);
        }

        Client connect() {
            RecordingConnection connection = cluster.connection();
            Gateway.Opening opening = sessions.open(new RoomPrincipal(connection.id().value(), null), connection,
                    List.of());
            return new Client(this, assertInstanceOf(Gateway.Opening.Opened.class, opening).session(), connection);
        }
    }

    private Node node(String id) {
        Node node = new Node(id);
        nodes.add(node);
        return node;
    }

    /** Replies as readable text: {@code joined topic me [a, b]}, {@code left topic me}, {@code error …}. */
    private static final class TextReplies implements RoomReplies {
        public String joined(String topic, String peerId, List<String> peers) {
            return "joined " + topic + " " + peerId + " " + peers;
        }

        public String left(String topic, String peerId) {
            return "left " + topic + " " + peerId;
        }

        public String error(String message) {
            return "error " + message;
        }
    }

    private record Client(Node node, LocalSession session, RecordingConnection connection) {
        void send(RoomRequest request) {
            node.rooms.handle(session, request);
        }

        void join(String topic, String peerId) {
            send(new RoomRequest.Join(topic, peerId, null, 40));
        }

        void data(String base64) {
            send(new RoomRequest.Data(base64, base64.length() + 30));
        }

        void close() {
            node.pod.gateway.closed(session);
            node.rooms.closed(session);
        }

        /** Everything this connection was offered, as text: replies as they are, envelopes as "kind peer [data]". */
        List<String> frames() {
            List<String> out = new ArrayList<>();
            for (ServerMessage message : connection.offered()) {
                switch (message) {
                    case ServerMessage.Text text -> out.add(text.json());
                    case ServerMessage.EventFrame frame -> out.add(describe(frame.event()));
                    default -> out.add(message.toString());
                }
            }
            return out;
        }

        String last() {
            List<String> all = frames();
            return all.isEmpty() ? "(nothing)" : all.getLast();
        }

        String peerId() {
            for (String frame : frames()) {
                if (frame.startsWith("joined ")) {
                    return frame.split(" ")[2];
                }
            }
            throw new AssertionError("never joined: " + frames());
        }
    }

    private static String describe(Envelope envelope) {
        String kind = envelope.attribute(RoomEnvelopes.KIND);
        String peer = envelope.attribute(RoomEnvelopes.PEER);
        return kind.equals(RoomEnvelopes.DATA) ? "data " + peer + " " + envelope.payloadText()
                : kind + " " + peer + " " + envelope.attribute(RoomEnvelopes.TOPIC);
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aJoinWithoutPeerId_getsAnAssignedOne_learnsWhoIsThere_andTheOthersOnEveryPodHearOfIt() {
        Client alice = a.connect();
        Client bob = b.connect();
        alice.join("t1", "alice");
        assertEquals(List.of("joined t1 alice []"), alice.frames());

        bob.join("t1", null);

        String assigned = bob.peerId();
        assertTrue(assigned.matches("peer-[0-9a-f]{16}"), assigned);
        assertEquals(List.of("joined t1 " + assigned + " [alice]"), bob.frames(), "no news of itself");
        assertEquals(List.of("joined t1 alice []", "joined " + assigned + " t1"), alice.frames());
    }

    @Test
    void aPeerIdInUse_isRefusedWithAnError_inAnyPodOfTheTopic_butFreeInAnotherTopic() {
        Client first = a.connect();
        Client second = b.connect();
        first.join("t1", "same");

        second.join("t1", "same");
        assertEquals(List.of("error peerId same is already in use in this topic"), second.frames());

        second.join("t2", "same");
        assertEquals("joined t2 same []", second.last());
    }

    @Test
    void data_reachesEveryOtherPeer_inOrder_onBothPods_butNotItsSender_norAnotherTopic() {
        Client sender = a.connect();
        Client samePod = a.connect();
        Client otherPod = b.connect();
        Client elsewhere = b.connect();
        sender.join("t1", "s");
        samePod.join("t1", "p1");
        otherPod.join("t1", "p2");
        elsewhere.join("t2", "x");

        for (int i = 0; i < 50; i++) {
            sender.data("AAA" + (char) ('A' + i % 26));
        }

        for (Client peer : List.of(samePod, otherPod)) {
            List<String> data = peer.frames().stream().filter(f -> f.startsWith("data ")).toList();
            assertEquals(50, data.size());
            for (int i = 0; i < 50; i++) {
                assertEquals("data s AAA" + (char) ('A' + i % 26), data.get(i));
            }
        }
        assertTrue(sender.frames().stream().noneMatch(f -> f.startsWith("data ")));
        assertTrue(elsewhere.frames().stream().noneMatch(f -> f.startsWith("data ")));
    }

    @Test
    void badInput_getsAnError_andTheConnectionCarriesOn() {
        Client client = a.connect();

        client.data("AAAA");
        assertEquals("error not joined: send join first", client.last());
        client.send(new RoomRequest.Leave(20));
        assertEquals("error not joined: nothing to leave", client.last());
        client.send(new RoomRequest.Invalid("unknown type \"hello\" (expected join, data or leave)", 20));
        assertEquals("error unknown type \"hello\" (expected join, data or leave)", client.last());
        client.send(new RoomRequest.Join(null, null, null, 20));
        assertEquals("error join needs a topic (a string)", client.last());
        client.join("a/b", null);
        assertEquals("error topic must not contain '/'", client.last());
        client.join("t1", "bad id");
        assertEquals("error peerId must not contain whitespace", client.last());

        client.join("t1", "me");
        client.data("not base64!");
        assertEquals("error data is not valid base64", client.last());
        client.data("A");
        assertEquals("error data is not valid base64", client.last());
        client.data("A".repeat(1368)); // 1026 bytes
        assertEquals("error data is 1026 bytes; at most 1024 are relayed (dialects.rooms.max_data_bytes)", client.last());
        client.send(new RoomRequest.Data(null, 20));
        assertEquals("error a data frame needs \"data\": a base64 string", client.last());
        client.join("t2", "again");
        assertEquals("error already joined as peer me; send leave first", client.last());

        Client other = b.connect();
        other.join("t1", "other");
        client.data("AAAA");
        assertEquals("data me AAAA", other.last(), "still joined and relaying");
    }

    @Test
    void leave_tellsTheOthers_andAnswersLeft_andThePeerMayJoinAgain() {
        Client leaver = a.connect();
        Client stayer = b.connect();
        leaver.join("t1", "l");
        stayer.join("t1", "s");

        leaver.send(new RoomRequest.Leave(20));

        assertEquals("left t1 l", leaver.last());
        assertEquals("left l t1", stayer.last());
        assertEquals(List.of(), roster.peers(List.of("t1")).get("t1").stream()
                .filter(p -> p.peerId().equals("l")).toList());
        stayer.data("AAAA");
        assertFalse(leaver.frames().contains("data s AAAA"), "no data after leaving");

        leaver.join("t1", "l");
        assertEquals("joined t1 l [s]", leaver.last());
    }

    @Test
    void aClosedConnection_leavesItsTopic_andTheOthersHearOfIt_once() {
        Client goner = a.connect();
        Client stayer = b.connect();
        goner.join("t1", "g");
        stayer.join("t1", "s");

        goner.close();
        goner.close();

        assertEquals(1, stayer.frames().stream().filter(f -> f.equals("left g t1")).count());
        assertEquals(List.of("s"), roster.peers(List.of("t1")).get("t1").stream().map(RoomRoster.Peer::peerId).toList());
        goner.join("t1", "late");
        assertEquals(1, roster.peers(List.of("t1")).get("t1").size(), "a frame read after the close joins nothing");
    }

    @Test
    void aFullTopic_refusesTheNextPeer_untilOneLeaves() {
        List<Client> peers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Client c = (i % 2 == 0 ? a : b).connect();
            c.join("t1", "p" + i);
            peers.add(c);
        }
        Client late = b.connect();

        late.join("t1", "late");
        assertEquals("error the topic is full (3 peers; dialects.rooms.max_peers_per_topic)", late.last());

        peers.getFirst().close();
        late.join("t1", "late");
        assertEquals("joined t1 late [p1, p2]", late.last().replace("[p2, p1]", "[p1, p2]"));
    }

    @Test
    void framesOverTheRate_areDropped_withOneErrorASecond() {
        settings.set(new RoomsSettings(1024, 0, 0, 5, false, Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofMinutes(5)));
        Client sender = a.connect();
        Client peer = b.connect();
        sender.join("t1", "s"); // 1 of 5
        peer.join("t1", "p");

        for (int i = 0; i < 10; i++) {
            sender.data("AAAA");
        }

        assertEquals(4, peer.frames().stream().filter(f -> f.startsWith("data ")).count());
        assertEquals(1, sender.frames().stream().filter(f -> f.startsWith("error rate limit: more than 5 frames"))
                .count());
    }

    @Test
    void bytesOverTheRate_areDroppedToo() {
        settings.set(new RoomsSettings(1024, 0, 100, 0, false, Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofMinutes(5)));
        Client sender = a.connect();
        Client peer = b.connect();
        sender.join("t1", "s");
        peer.join("t1", "p");
        String big = "A".repeat(1000);

        for (int i = 0; i < 10; i++) {
            sender.data(big); // each ~1030 bytes; the bucket holds two largest frames (~6.8 KB)
        }

        long relayed = peer.frames().stream().filter(f -> f.startsWith("data ")).count();
        assertTrue(relayed >= 1 && relayed < 10, "relayed " + relayed);
        assertTrue(sender.frames().stream().anyMatch(f -> f.startsWith("error rate limit: more than 100 bytes")));
    }

    @Test
    void withAuthRequired_aJoinNeedsATokenNamingTheTopic_andATokensPeerIdBindsIt() {
        settings.set(new RoomsSettings(1024, 0, 0, 0, true, Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofMinutes(5)));
        Instant exp = Instant.parse("2031-01-01T00:00:00Z");
        jwt.set(new JwtVerifier() {
            public Verified verify(String token) {
                return switch (token) {
                    case "t1-token" -> valid(Map.of("topics", List.of("t1"), "exp", exp, "jti", "j1"), exp);
                    case "any-token" -> valid(Map.of("topics", "*", "exp", exp), exp);
                    case "bound-token" -> valid(Map.of("topics", List.of("t1"), "peer_id", "bound", "exp", exp), exp);
                    default -> new Verified.Invalid("signature", "JWT signature is invalid or signed by an unknown key");
                };
            }

            public boolean enabled() {
                return true;
            }
        });
        Client client = a.connect();

        client.join("t1", "me");
        assertTrue(client.last().startsWith("error this server needs a token to join"), client.last());
        client.send(new RoomRequest.Join("t1", "me", "forged", 40));
        assertEquals("error JWT signature is invalid or signed by an unknown key", client.last());
        client.send(new RoomRequest.Join("t2", "me", "t1-token", 40));
        assertEquals("error the token does not allow this topic (its \"topics\" claim)", client.last());
        client.send(new RoomRequest.Join("t1", "other", "bound-token", 40));
        assertEquals("error the token allows only peerId bound", client.last());

        client.send(new RoomRequest.Join("t1", null, "bound-token", 40));
        assertEquals("joined t1 bound []", client.last());

        Client another = b.connect();
        revocations.revoke("j1", exp);
        another.send(new RoomRequest.Join("t1", "x", "t1-token", 40));
        assertEquals("error the token was revoked", another.last());
        another.send(new RoomRequest.Join("t9", "x", "any-token", 40));
        assertEquals("joined t9 x []", another.last());
    }

    private static JwtVerifier.Verified valid(Map<String, Object> claims, Instant exp) {
        return new JwtVerifier.Verified.Valid(new JwtVerifier.Claims(claims, exp));
    }

    @Test
    void aPeerWhoseTokenExpires_leavesItsTopic_andIsTold() {
        settings.set(new RoomsSettings(1024, 0, 0, 0, true, Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofMinutes(5)));
        Instant exp = cluster.clock.now().plusSeconds(30);
        jwt.set(new JwtVerifier() {
            public Verified verify(String token) {
                return valid(Map.of("topics", List.of("t1"), "exp", exp), exp);
            }

            public boolean enabled() {
                return true;
            }
        });
        Client expiring = a.connect();
        Client other = b.connect();
        expiring.send(new RoomRequest.Join("t1", "e", "token", 40));
        other.send(new RoomRequest.Join("t1", "o", "token", 40));

        a.upkeep.tick();
        assertEquals(List.of("joined t1 e []", "joined o t1"), expiring.frames(), "still in before it expires");
        cluster.clock.advance(Duration.ofSeconds(31));
        a.upkeep.tick();

        assertEquals("error your token expired: you left the topic; join again with a new token", expiring.last());
        assertEquals("left e t1", other.last());
    }

    @Test
    void whenAPodDies_aSurvivorAnnouncesItsPeersAsLeft_once_andTheirIdsAreFreeAgain() {
        Node c = node("pod-c");
        Client onA = a.connect();
        Client onC = c.connect();
        Client doomed1 = b.connect();
        Client doomed2 = b.connect();
        onA.join("t1", "a");
        onC.join("t1", "c");
        doomed1.join("t1", "d1");
        doomed2.join("t2", "d2");

        cluster.pods.remove(b.pod.id); // its heartbeat lapsed: no close, no cleanup of its own
        nodes.remove(b);
        a.upkeep.tick();
        c.upkeep.tick();

        for (Client survivor : List.of(onA, onC)) {
            assertEquals(1, survivor.frames().stream().filter(f -> f.equals("left d1 t1")).count(), survivor.frames()
                    .toString());
        }
        assertFalse(roster.pods().contains(b.pod.id));
        Client again = a.connect();
        again.join("t1", "d1");
        assertEquals("joined t1 d1 [a, c]", again.last().replace("[c, a]", "[a, c]"));
    }

    @Test
    void aHolderOnADeadPod_doesNotBlockItsPeerId_andAJoinerIsNotToldOfIt() {
        Client ghost = b.connect();
        ghost.join("t1", "same");
        cluster.pods.remove(b.pod.id);
        nodes.remove(b);

        Client fresh = a.connect();
        fresh.join("t1", "same");

        assertEquals("joined t1 same []", fresh.last());
    }

    @Test
    void aPeerReleasedByMistake_isPutBackByTheRefresh_andAnnouncedAgain() {
        Client mine = a.connect();
        Client other = b.connect();
        mine.join("t1", "m");
        other.join("t1", "o");
        RoomRoster.Peer entry = roster.peers(List.of("t1")).get("t1").stream()
                .filter(p -> p.peerId().equals("m")).findFirst().orElseThrow();
        roster.release("t1", entry); // another pod thought pod-a dead

        cluster.clock.advance(Duration.ofSeconds(11));
        settings.set(new RoomsSettings(1024, 3, 0, 0, false, Duration.ZERO, Duration.ofSeconds(60),
                Duration.ofMinutes(5)));
        a.upkeep.tick();

        assertTrue(roster.peers(List.of("t1")).get("t1").contains(entry));
        assertEquals("joined m t1", other.last());
    }

    @Test
    void entriesLeftBehindByAnEarlierRunOfThisPod_areReleasedOnTheFirstTick() {
        RoomRoster.Peer leftover = new RoomRoster.Peer("old", new io.relaymesh.domain.model.SessionOwner(a.pod.id,
                new io.relaymesh.domain.model.ConnectionId("conn-of-a-dead-process")));
        roster.claim("t1", leftover, 0, Duration.ofMinutes(1));
        Client live = b.connect();
        live.join("t1", "live");

        a.upkeep.tick();

        assertEquals("left old t1", live.last());
        assertEquals(List.of("live"), roster.peers(List.of("t1")).get("t1").stream().map(RoomRoster.Peer::peerId).toList());
    }

    @Test
    void stats_countTopicsAndPeers_andNameTopicsOnlyByFingerprint() {
        a.connect().join("secret-topic", "x");
        a.connect().join("secret-topic", "y");
        b.connect().join("secret-topic", "z");
        a.connect().join("other", "w");

        a.upkeep.logStats();
        RoomStats stats = a.upkeep.lastStats();

        assertEquals(2, stats.topics());
        assertEquals(3, stats.localPeers());
        assertEquals(4, stats.clusterPeers());
        assertEquals(new RoomStats.Topic(RoomStats.fingerprint("secret-topic"), 2, 3), stats.largest().getFirst());
        assertTrue(stats.lines().stream().noneMatch(l -> l.contains("secret-topic")), stats.lines()::toString);
        assertEquals("rooms stats: 2 topics, 3 peers on this pod, 4 peers in these topics cluster-wide",
                stats.lines().getFirst());
        assertEquals(3, a.rooms.localPeers());
        assertEquals(2, a.rooms.localTopics());
        assertEquals(PodId.class, a.pod.id.getClass());
    }
}
