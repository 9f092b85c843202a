package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, standalone: every frame of the PluresDB relay's protocol against the real jar, over
 * {@code wss://} only (a test CA's certificate on the main listener and on the rooms' own), with the
 * shipped config/standalone.yaml, where seed clients need no token.
 */
class RoomsIT {
    private static final Duration QUIET = Duration.ofMillis(400);
    private static Path dir;
    private static RoomsJar jar;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("rooms-it");
        jar = RoomsJar.start(TestPki.create(dir), "standalone.yaml", Map.of(
                "RELAYMESH_DIALECTS_ROOMS_MAX_DATA_BYTES", "4096",
                "RELAYMESH_DIALECTS_ROOMS_MAX_PEERS_PER_TOPIC", "3",
                "RELAYMESH_DIALECTS_ROOMS_MAX_FRAMES_PER_SECOND", "200",
                "RELAYMESH_DIALECTS_ROOMS_MAX_BYTES_PER_SECOND", "100000",
                "RELAYMESH_DIALECTS_ROOMS_STATS_INTERVAL_SECONDS", "2"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (jar != null) {
            jar.close();
        }
    }

    private static String topic() {
        return "topic-" + UUID.randomUUID();
    }

    @Test
    void seedClients_joinWithoutAToken_learnWhoIsThere_andRelayDataInOrder_toTheOthersOnly() {
        String topic = topic();
        try (RoomsPeer alice = jar.peer("/rooms/ws"); RoomsPeer bob = jar.peer("/rooms/ws")) {
            JsonNode aliceJoined = alice.join(topic, "alice");
            assertEquals(topic, aliceJoined.path("topic").asText());
            assertEquals(0, aliceJoined.path("peers").size());

            JsonNode bobJoined = bob.join(topic, null);
            assertTrue(bob.peerId.matches("peer-[0-9a-f]{16}"), "a server-assigned id: " + bob.peerId);
            assertEquals("[\"alice\"]", bobJoined.path("peers").toString(), "the joiner learns who is there");
            JsonNode news = alice.next();
            assertEquals("peer-joined", news.path("type").asText(), news.toString());
            assertEquals(bob.peerId, news.path("peerId").asText());
            assertEquals(topic, news.path("topic").asText());

            for (int i = 0; i < 100; i++) {
                alice.data("frame " + i);
            }
            for (int i = 0; i < 100; i++) {
                JsonNode data = bob.next();
                assertEquals("data", data.path("type").asText(), data.toString());
                assertEquals("alice", data.path("peerId").asText());
                assertEquals("frame " + i, RoomsPeer.text(data));
            }
            assertNull(alice.poll(QUIET), "a sender does not get its own data");
        }
    }

    @Test
    void onTheSharedWs_aFirstJoin_picksTheRooms_andTheRoomsListener_takesAnyPath() {
        String topic = topic();
        try (RoomsPeer shared = jar.peer("/ws");
             RoomsPeer root = RoomsPeer.connect(jar.https, jar.roomsListener("/"));
             RoomsPeer deep = RoomsPeer.connect(jar.https, jar.roomsListener("/any/path?x=1"))) {
            shared.join(topic, "shared");
            root.join(topic, "root");
            assertEquals("root", shared.next().path("peerId").asText());
            deep.join(topic, "deep");

            deep.data("hello from 443");
            for (RoomsPeer peer : List.of(shared, root)) {
                JsonNode data = peer.nextOf("data");
                assertEquals("deep", data.path("peerId").asText());
                assertEquals("hello from 443", RoomsPeer.text(data));
            }
        }
    }

    @Test
    void theRoomsListener_servesTlsOnly_andAnswersPlainHttpWith426() throws Exception {
        assertEquals(-1, plainStatus(URI.create("http://127.0.0.1:" + jar.roomsPort + "/")), "no plain HTTP");
        HttpResponse<String> response = jar.https.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + jar.roomsPort + "/health")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(426, response.statusCode(), response.body());
    }

    private static int plainStatus(URI uri) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void aReload_readsTheRoomsListenersCertificateAgain_andItsOpenSocketsStay() throws Exception {
        String topic = topic();
        try (RoomsPeer open = RoomsPeer.connect(jar.https, jar.roomsListener("/"));
             RoomsPeer other = jar.peer("/rooms/ws")) {
            open.join(topic, "open");
            jar.jar.hangUp();
            GatewayHarness.eventually(Duration.ofSeconds(20), "the rooms listener's certificate reloaded",
                    () -> jar.jar.output().contains("TLS certificate of the rooms listener reloaded from"));
            other.join(topic, "other");
            open.data("still connected");
            assertEquals("still connected", RoomsPeer.text(other.nextOf("data")));
            try (RoomsPeer fresh = RoomsPeer.connect(jar.https, jar.roomsListener("/after-reload"))) {
                fresh.join(topic, "fresh");
            }
        }
    }

    @Test
    void badInput_getsAnErrorFrame_andTheSocketStaysOpen() {
        String topic = topic();
        try (RoomsPeer client = jar.peer("/rooms/ws"); RoomsPeer other = jar.peer("/rooms/ws")) {
            client.data("too early");
            client.expectError("not joined");
            client.send("{\"type\":\"shout\"}");
            client.expectError("unknown type \"shout\"");
            client.send("not json at all");
            client.expectError("not valid JSON");
            client.send("{\"type\":\"join\",\"topic\":\"a/b\"}");
            client.expectError("topic must not contain '/'");

            client.join(topic, "me");
            other.sendJoin(topic, "me", null);
            other.expectError("peerId me is already in use in this topic");
            other.join(topic, "other");

            client.send("{\"type\":\"data\",\"data\":\"%%%not base64%%%\"}");
            client.expectError("data is not valid base64");
            client.send("{\"type\":\"data\",\"data\":\"" + RoomsPeer.b64("x".repeat(5000)) + "\"}");
            client.expectError("data is 5000 bytes; at most 4096");
            client.send("{\"type\":\"data\"}");
            client.expectError("needs \"data\"");

            client.data("still here");
            JsonNode data = other.nextOf("data");
            assertEquals("still here", RoomsPeer.text(data));
            assertFalse(client.ws.isClosed());
        }
    }

    @Test
    void leaveAndClose_areAnnouncedToTheOthers_andALeaverMayJoinAgain() {
        String topic = topic();
        try (RoomsPeer stayer = jar.peer("/rooms/ws"); RoomsPeer leaver = jar.peer("/rooms/ws")) {
            stayer.join(topic, "stayer");
            leaver.join(topic, "leaver");
            stayer.nextOf("peer-joined");

            leaver.send("{\"type\":\"leave\"}");
            JsonNode left = leaver.nextOf("left");
            assertEquals("left", left.path("type").asText(), left.toString());
            JsonNode news = stayer.nextOf("peer-left");
            assertEquals("leaver", news.path("peerId").asText());
            assertEquals(topic, news.path("topic").asText());

            JsonNode again = leaver.join(topic, "leaver");
            assertEquals("[\"stayer\"]", again.path("peers").toString(), "joined again, and told who is there");
            leaver.sendJoin(topic(), "elsewhere", null);
            leaver.expectError("already joined as peer leaver; send leave first");
        }
        String topic2 = topic();
        try (RoomsPeer stayer = jar.peer("/rooms/ws")) {
            stayer.join(topic2, "stayer");
            RoomsPeer goner = jar.peer("/rooms/ws");
            goner.join(topic2, "goner");
            stayer.nextOf("peer-joined");
            goner.close();
            JsonNode news = stayer.nextOf("peer-left");
            assertEquals("goner", news.path("peerId").asText());
        }
    }

    @Test
    void aTopic_holdsAtMostItsCap_andAFourthPeerIsRefused() {
        String topic = topic();
        List<RoomsPeer> peers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RoomsPeer peer = jar.peer("/rooms/ws");
                peers.add(peer);
                peer.join(topic, "p" + i);
            }
            RoomsPeer fourth = jar.peer("/rooms/ws");
            peers.add(fourth);
            fourth.sendJoin(topic, "p3", null);
            fourth.expectError("the topic is full (3 peers");
        } finally {
            peers.forEach(RoomsPeer::close);
        }
    }

    @Test
    void framesAndBytesOverTheConnectionsRates_areDropped_withAnErrorFrame() throws Exception {
        String topic = topic();
        javax.net.ssl.SSLSocketFactory tls = RoomsJar.trusting(dir.resolve("ca.crt")).getSocketFactory();
        try (RawWsClient fast = new RawWsClient(tls, "127.0.0.1", jar.port, "/rooms/ws");
             RawWsClient bulky = new RawWsClient(tls, "127.0.0.1", jar.port, "/rooms/ws");
             RoomsPeer reader = jar.peer("/rooms/ws")) {
            reader.join(topic, "reader");
            fast.sendText("{\"type\":\"join\",\"topic\":\"" + topic + "\",\"peerId\":\"fast\"}");
            assertTrue(fast.readText().contains("\"joined\""));
            bulky.sendText("{\"type\":\"join\",\"topic\":\"" + topic + "\",\"peerId\":\"bulky\"}");
            assertTrue(bulky.readText().contains("\"joined\""));

            // 400 frames in one write: twice the 200 a second the connection may send.
            java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 400; i++) {
                burst.write(RawWsClient.frameBytes(1, ("{\"type\":\"data\",\"data\":\"" + RoomsPeer.b64("n" + i)
                        + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            fast.sendRaw(burst.toByteArray());
            String error = firstOf(fast, "error");
            assertTrue(error.startsWith("{\"type\":\"error\",\"payload\":\"rate limit: more than 200 frames "
                    + "per second"), error);

            // 40 frames of ~5.4 KB in one write: over the 100,000 bytes a second.
            burst.reset();
            String chunk = RoomsPeer.b64("y".repeat(4000));
            for (int i = 0; i < 40; i++) {
                burst.write(RawWsClient.frameBytes(1, ("{\"type\":\"data\",\"data\":\"" + chunk + "\"}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            bulky.sendRaw(burst.toByteArray());
            error = firstOf(bulky, "error");
            assertTrue(error.startsWith("{\"type\":\"error\",\"payload\":\"rate limit: more than 100000 bytes per "
                    + "second"), error);

            int relayed = 0;
            while (reader.poll(Duration.ofSeconds(2)) != null) {
                relayed++;
            }
            assertTrue(relayed > 150 && relayed < 440, "some frames relayed, the rest dropped: " + relayed);
            fast.sendText("{\"type\":\"leave\"}");
            assertTrue(firstOf(fast, "left").contains("\"left\""), "the socket stays open");
        }
    }

    /** The first text frame of {@code type} a raw client reads (skipping others). */
    private static String firstOf(RawWsClient client, String type) throws java.io.IOException {
        for (int i = 0; i < 1000; i++) {
            String frame = client.readText();
            if (frame.startsWith("{\"type\":\"" + type + "\"")) {
                return frame;
            }
        }
        throw new AssertionError("no " + type + " frame");
    }

    @Test
    void topicStats_areLogged_byFingerprintOnly_andTheRoomsAreMetrics() throws Exception {
        String topic = topic();
        try (RoomsPeer one = jar.peer("/rooms/ws"); RoomsPeer two = jar.peer("/rooms/ws")) {
            one.join(topic, "one");
            two.join(topic, "two");
            one.data("counted");
            two.nextOf("data");
            String fingerprint = io.relaymesh.application.rooms.RoomStats.fingerprint(topic);
            GatewayHarness.eventually(Duration.ofSeconds(10), "a stats line for the topic",
                    () -> jar.jar.output().contains("topic " + fingerprint + ": 2 peers (2 on this pod)"));
            assertFalse(jar.jar.output().contains(topic), "the topic itself (a shared secret) is never logged");
            assertTrue(Pattern.compile("rooms stats: \\d+ topics, \\d+ peers on this pod").matcher(jar.jar.output()).find());

            String metrics = jar.get("/metrics");
            for (String series : Set.of("relaymesh_rooms_peers ", "relaymesh_rooms_topics ",
                    "relaymesh_rooms_relayed_frames_total ", "relaymesh_rooms_joins_total ",
                    "relaymesh_dialect_frames_received_total{dialect=\"rooms\"}",
                    "relaymesh_dialect_connections{dialect=\"rooms\"}")) {
                assertTrue(metrics.contains(series), series + " in\n" + metrics);
            }
        }
        assertTrue(jar.jar.output().contains("dialects.rooms.auth_required is false"), "warned at start");
    }
}
