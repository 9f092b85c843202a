package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, across pods: the peer rooms on two real jars (config/config.yaml: a join needs a JWT
 * naming its topic) sharing real Redis and NATS, every socket over {@code wss://}. Peers on different
 * pods exchange 1,000 data frames each in order with nothing lost; a third joins and leaves; a pod
 * killed with SIGKILL has its peers announced as left by the survivors.
 */
@ExtendWith(RealServices.class)
class RoomsClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static RedisServer redis;
    private static NatsServer nats;
    private static TestPki pki;
    private static RoomsJar a;
    private static RoomsJar b;

    @BeforeAll
    static void start() throws Exception {
        redis = RealServices.newRedis();
        nats = RealServices.nats();
        pki = TestPki.create(Files.createTempDirectory("rooms-cluster-it"));
        CompletableFuture<RoomsJar> first = CompletableFuture.supplyAsync(() -> pod("rooms-pod-a"));
        CompletableFuture<RoomsJar> second = CompletableFuture.supplyAsync(() -> pod("rooms-pod-b"));
        a = first.join();
        b = second.join();
    }

    private static RoomsJar pod(String id) {
        Map<String, String> env = new HashMap<>(GatewayHarness.clusterEnv(id, redis.address(), nats.url()));
        env.put("RELAYMESH_AUTH_JWT_SECRET", JwtTokens.SECRET);
        env.put("RELAYMESH_DIALECTS_ROOMS_MAX_FRAMES_PER_SECOND", "0");
        env.put("RELAYMESH_DIALECTS_ROOMS_MAX_BYTES_PER_SECOND", "0");
        try {
            return RoomsJar.start(pki, "config.yaml", env);
        } catch (Exception e) {
            throw new AssertionError("pod " + id + " did not start", e);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (RoomsJar pod : new RoomsJar[]{a, b}) {
            if (pod != null) {
                pod.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static String topic() {
        return "t-" + UUID.randomUUID();
    }

    /** A JWT for {@code topics}, valid for an hour, signed with the pods' auth.jwt_secret. */
    private static String token(String... topics) {
        return JwtTokens.hs256(JwtTokens.SECRET, new JWTClaimsSet.Builder().claim("topics", List.of(topics))
                .expirationTime(Date.from(Instant.now().plusSeconds(3600))));
    }

    @Test
    void twoPeersOnDifferentPods_exchange1000DataFramesEach_inOrder_withNothingLost() throws Exception {
        String topic = topic();
        try (RoomsPeer onA = a.peer("/rooms/ws"); RoomsPeer onB = b.peer("/rooms/ws")) {
            onA.join(topic, "left-peer", token(topic));
            onB.join(topic, "right-peer", token(topic));
            assertEquals("right-peer", onA.nextOf("peer-joined").path("peerId").asText());

            long start = System.nanoTime();
            CompletableFuture<Void> fromA = CompletableFuture.runAsync(() -> sendNumbered(onA, "a", 1000));
            CompletableFuture<Void> fromB = CompletableFuture.runAsync(() -> sendNumbered(onB, "b", 1000));
            expectNumbered(onB, "left-peer", "a", 1000);
            expectNumbered(onA, "right-peer", "b", 1000);
            fromA.get(30, TimeUnit.SECONDS);
            fromB.get(30, TimeUnit.SECONDS);
            System.out.printf("rooms: 2 x 1000 data frames across pods in %d ms%n",
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
            assertNull(onA.poll(Duration.ofMillis(300)), "nothing more, and nothing of its own");
            assertNull(onB.poll(Duration.ofMillis(300)));
        }
    }

    private static void sendNumbered(RoomsPeer peer, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            peer.data(prefix + "-" + i);
        }
    }

    private static void expectNumbered(RoomsPeer peer, String from, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            JsonNode data = peer.nextOf("data", WAIT);
            assertEquals(from, data.path("peerId").asText(), data.toString());
            assertEquals(prefix + "-" + i, RoomsPeer.text(data), "frame " + i + " in order");
        }
    }

    @Test
    void aThirdPeer_joinsAndLeaves_andBothOthers_onEitherPod_hearOfItAndOfItsData() {
        String topic = topic();
        try (RoomsPeer one = a.peer("/rooms/ws"); RoomsPeer two = b.peer("/ws");
             RoomsPeer third = RoomsPeer.connect(b.https, b.roomsListener("/"))) {
            one.join(topic, "one", token(topic));
            two.join(topic, "two", token(topic));
            one.nextOf("peer-joined");

            JsonNode joined = third.join(topic, null, token(topic));
            assertEquals(Set.of("one", "two"), Set.of(joined.path("peers").get(0).asText(),
                    joined.path("peers").get(1).asText()), joined.toString());
            for (RoomsPeer other : List.of(one, two)) {
                JsonNode news = other.nextOf("peer-joined");
                assertEquals(third.peerId, news.path("peerId").asText());
                assertEquals(topic, news.path("topic").asText());
            }

            third.data("from the third");
            for (RoomsPeer other : List.of(one, two)) {
                JsonNode data = other.nextOf("data");
                assertEquals(third.peerId, data.path("peerId").asText());
                assertEquals("from the third", RoomsPeer.text(data));
            }

            third.send("{\"type\":\"leave\"}");
            assertEquals("left", third.nextOf("left").path("type").asText());
            for (RoomsPeer other : List.of(one, two)) {
                assertEquals(third.peerId, other.nextOf("peer-left").path("peerId").asText());
            }
            one.data("after the third left");
            assertEquals("after the third left", RoomsPeer.text(two.nextOf("data")));
            assertNull(third.poll(Duration.ofMillis(500)), "a peer that left gets nothing of the topic");
        }
    }

    @Test
    void aPeerIdHeldOnOnePod_isRefusedOnTheOther_andTokensGuardTheTopics() {
        String topic = topic();
        try (RoomsPeer holder = a.peer("/rooms/ws"); RoomsPeer rival = b.peer("/rooms/ws")) {
            holder.join(topic, "unique", token(topic));
            rival.sendJoin(topic, "unique", token(topic));
            rival.expectError("peerId unique is already in use in this topic");

            rival.sendJoin(topic, "rival", null);
            rival.expectError("this server needs a token to join");
            rival.sendJoin(topic, "rival", token("another-topic"));
            rival.expectError("the token does not allow this topic");
            rival.sendJoin(topic, "rival", "not-a-jwt");
            rival.expectError("not a valid JWT");
            rival.join(topic, "rival", token(topic));
        }
    }

    @Test
    void aKilledPod_hasItsPeersAnnouncedAsLeft_bySurvivors_withinSeconds() throws Exception {
        String topic = topic();
        RoomsJar doomed = pod("rooms-pod-doomed");
        try (RoomsPeer onA = a.peer("/rooms/ws"); RoomsPeer onB = b.peer("/rooms/ws")) {
            onA.join(topic, "survivor-a", token(topic));
            onB.join(topic, "survivor-b", token(topic));
            List<RoomsPeer> victims = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                RoomsPeer victim = doomed.peer("/rooms/ws");
                victims.add(victim);
                victim.join(topic, "victim-" + i, token(topic));
            }
            for (RoomsPeer survivor : List.of(onA, onB)) {
                Set<String> joined = new java.util.HashSet<>();
                while (joined.size() < (survivor == onA ? 3 : 2)) {
                    joined.add(survivor.nextOf("peer-joined").path("peerId").asText());
                }
            }

            doomed.jar.process.destroyForcibly(); // kill -9: no close frame, no cleanup of its own
            doomed.jar.process.waitFor();
            long killed = System.nanoTime();
            victims.forEach(RoomsPeer::close);

            for (RoomsPeer survivor : List.of(onA, onB)) {
                Set<String> left = new java.util.HashSet<>();
                while (left.size() < 2) {
                    JsonNode news = survivor.nextOf("peer-left", Duration.ofSeconds(20));
                    assertTrue(left.add(news.path("peerId").asText()), "each announced once: " + news);
                }
                assertEquals(Set.of("victim-0", "victim-1"), left);
            }
            long millis = Duration.ofNanos(System.nanoTime() - killed).toMillis();
            System.out.printf("rooms: peers of a killed pod announced as left after %d ms%n", millis);
            assertTrue(millis < 12_000, "announced within seconds, took " + millis + " ms");
            assertNull(onA.poll(Duration.ofSeconds(2)), "no second announcement");

            try (RoomsPeer heir = b.peer("/rooms/ws")) {
                heir.join(topic, "victim-0", token(topic)); // the id is free again
            }
        } finally {
            doomed.close();
        }
    }

    @Test
    void aPodStoppedGracefully_announcesItsPeersAsLeft_itself_beforeItsHeartbeatWouldLapse() throws Exception {
        String topic = topic();
        RoomsJar leaving = pod("rooms-pod-leaving");
        try (RoomsPeer stayer = a.peer("/rooms/ws")) {
            stayer.join(topic, "stayer", token(topic));
            RoomsPeer goer = leaving.peer("/rooms/ws");
            goer.join(topic, "goer", token(topic));
            assertEquals("goer", stayer.nextOf("peer-joined").path("peerId").asText());

            long stopped = System.nanoTime();
            leaving.jar.process.destroy(); // SIGTERM: a graceful stop
            assertEquals("goer", stayer.nextOf("peer-left", Duration.ofSeconds(10)).path("peerId").asText());
            long millis = Duration.ofNanos(System.nanoTime() - stopped).toMillis();
            System.out.printf("rooms: a stopping pod's peer announced as left after %d ms%n", millis);
            assertTrue(millis < 4_000, "by the stopping pod itself, not a survivor 5 s later: " + millis + " ms");
            assertNull(stayer.poll(Duration.ofSeconds(3)), "once");
            goer.close();
        } finally {
            leaving.close();
        }
    }
}
