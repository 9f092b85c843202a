package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: a dialect registered only in a test module (bootstrap's test EchoDialectModule) works
 * end to end on real pods, Redis and NATS: a client joins two route keys on one pod, a client of
 * another pod relays envelopes to them through the core's one delivery path, and the first gets
 * both in its dialect's own frames. The primary protocol on the same pods is untouched.
 */
@ExtendWith(RealServices.class)
class TestDialectIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static RedisServer redis;
    private static NatsServer nats;

    @BeforeAll
    static void services() throws Exception {
        redis = RealServices.newRedis();
        nats = RealServices.nats();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void aClientJoinedToTwoKeys_getsEnvelopesRelayedToThemFromAnotherPod() throws Exception {
        try (GatewayHarness a = GatewayHarness.echoPod("pod-echo-a", redis.address(), nats.url());
             GatewayHarness b = GatewayHarness.echoPod("pod-echo-b", redis.address(), nats.url());
             WsClient listener = WsClient.connect(b.ws("/echo/ws"));
             WsClient speaker = WsClient.connect(a.ws("/ws"))) {
            listener.send("{\"type\":\"echo_hello\",\"rooms\":[\"red\",\"blue\"]}");
            assertEquals("echo_ready", listener.next(WAIT).path("type").asText());
            speaker.send("{\"type\":\"echo_hello\",\"rooms\":[]}");
            assertEquals("echo_ready", speaker.next(WAIT).path("type").asText());

            speaker.send("{\"type\":\"say\",\"room\":\"red\",\"text\":\"one\"}");
            speaker.send("{\"type\":\"say\",\"room\":\"blue\",\"text\":\"two\"}");
            speaker.send("{\"type\":\"say\",\"room\":\"green\",\"text\":\"nobody\"}");

            Set<String> got = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                JsonNode said = listener.next(WAIT);
                assertEquals("said", said.path("type").asText(), said.toString());
                got.add(said.path("room").asText() + ":" + said.path("text").asText());
            }
            assertEquals(Set.of("red:one", "blue:two"), got);
            assertNull(listener.poll(Duration.ofMillis(300)), "nothing for a room it did not join");

            // Leaving a key stops its envelopes; joining a new one starts them, across pods.
            listener.send("{\"type\":\"leave\",\"room\":\"red\"}");
            listener.send("{\"type\":\"join\",\"room\":\"green\"}");
            assertEquals("joined", listener.next(WAIT).path("type").asText());
            speaker.send("{\"type\":\"say\",\"room\":\"red\",\"text\":\"gone\"}");
            speaker.send("{\"type\":\"say\",\"room\":\"green\",\"text\":\"three\"}");
            JsonNode said = listener.next(WAIT);
            assertEquals("green:three", said.path("room").asText() + ":" + said.path("text").asText());

            // A backend publishes to the dialect's own subject: it goes through the dialects' stream
            // (relaymesh_dialects), is consumed by either pod and reaches the room's members.
            JsonNode published = a.publish("echo.green", "{\"event_id\":\"from-backend-1\",\"n\":4}");
            assertEquals("from-backend-1", published.path("event_id").asText(), published.toString());
            JsonNode fromBackend = listener.next(WAIT);
            assertEquals("said", fromBackend.path("type").asText());
            assertEquals("from-backend-1", fromBackend.path("id").asText());
            assertEquals("green", fromBackend.path("room").asText());
            assertEquals(4, WsClient.JSON.readTree(fromBackend.path("text").asText()).path("n").asInt());

            // The primary protocol on the same pods still works (user() waits for its ready).
            try (WsClient user = b.user("c1", "a1", "u1")) {
                assertFalse(user.isClosed());
            }
        }
    }

    @Test
    void anUnknownFirstFrameOnTheSharedPath_getsAnErrorAnd4400() throws Exception {
        try (GatewayHarness gateway = GatewayHarness.echoStandalone();
             WsClient client = WsClient.connect(gateway.ws("/ws"))) {
            client.send("{\"type\":\"nonsense\"}");
            JsonNode error = client.next(WAIT);
            assertEquals("error", error.path("type").asText());
            assertEquals(4400, client.awaitClose(WAIT).code());
        }
    }

    @Test
    void everyDialectCountsItsConnectionsFramesEventsAndErrors_underItsOwnLabel() throws Exception {
        try (GatewayHarness gateway = GatewayHarness.echoStandalone()) {
            String before = gateway.get("/metrics").body();
            assertTrue(before.contains("relaymesh_dialect_connections{dialect=\"echo\"} 0.0"), "zero before any client");
            try (WsClient client = WsClient.connect(gateway.ws("/ws"));
                 WsClient stranger = WsClient.connect(gateway.ws("/ws"))) {
                client.send("{\"type\":\"echo_hello\",\"rooms\":[\"m\"]}");
                assertEquals("echo_ready", client.next(WAIT).path("type").asText());
                client.send("{\"type\":\"say\",\"room\":\"m\",\"text\":\"hi\"}");
                assertEquals("said", client.next(WAIT).path("type").asText());
                stranger.send("{\"type\":\"nonsense\"}");
                assertEquals(4400, stranger.awaitClose(WAIT).code());

                String during = gateway.get("/metrics").body();
                assertTrue(during.contains("relaymesh_dialect_connections{dialect=\"echo\"} 1.0"), during);
                assertTrue(during.contains("relaymesh_dialect_frames_received_total{dialect=\"echo\"} 2.0"), during);
                assertTrue(during.contains("relaymesh_dialect_events_rendered_total{dialect=\"echo\"} 1.0"), during);
                assertTrue(during.contains(
                        "relaymesh_dialect_errors_total{dialect=\"none\",reason=\"unknown_first_frame\"} 1.0"), during);
            }
            GatewayHarness.eventually(WAIT, "the echo connection is no longer counted", () -> gateway.get("/metrics")
                    .body().contains("relaymesh_dialect_connections{dialect=\"echo\"} 0.0"));
        }
    }

    @Test
    void dialectSockets_meetThePerIpUpgradeRate_andPingsCountAgainstTheFrameRate() throws Exception {
        try (GatewayHarness gateway = GatewayHarness.echoStandalone(java.util.Map.of(
                "RELAYMESH_SERVER_UPGRADES_PER_IP_PER_SECOND", "1", "RELAYMESH_SERVER_UPGRADE_BURST_PER_IP", "2",
                "RELAYMESH_APP_CLIENT_MAX_MESSAGES_PER_SECOND", "5", "RELAYMESH_APP_CLIENT_MESSAGE_BURST", "5"))) {
            java.util.List<WsClient> clients = new java.util.ArrayList<>();
            try {
                int refused = 0;
                for (int i = 0; i < 4; i++) {
                    clients.add(WsClient.connect(gateway.ws("/echo/ws")));
                }
                for (WsClient client : clients) {
                    JsonNode first = client.poll(Duration.ofMillis(300));
                    if (first != null && "error".equals(first.path("type").asText())) {
                        assertEquals(4429, client.awaitClose(WAIT).code());
                        refused++;
                    }
                }
                assertTrue(refused >= 1, "four upgrades at once over a burst of two: some refused, got " + refused);

                WsClient admitted = clients.getFirst();
                admitted.send("{\"type\":\"echo_hello\",\"rooms\":[\"r\"]}");
                assertEquals("echo_ready", admitted.next(WAIT).path("type").asText());
                for (int i = 0; i < 50 && !admitted.isClosed(); i++) {
                    admitted.ping();
                }
                assertEquals(4429, admitted.awaitClose(WAIT).code(), "a ping flood is cut, not answered");
            } finally {
                clients.forEach(WsClient::close);
            }
        }
    }
}
