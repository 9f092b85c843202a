package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.relaymesh.bootstrap.e2e.MailboxJar.WAIT;
import static io.relaymesh.bootstrap.e2e.MailboxJar.pull;
import static io.relaymesh.bootstrap.e2e.MailboxJar.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, standalone: the aethos-relay protocol against the real jar, frame by frame, with its
 * messages in the on-disk store (which survives kill -9), the sweeper, /healthz, the seed's
 * metrics, backend sends over HTTP and the optional JWT on hello.
 */
class MailboxStandaloneIT {
    private static final String HELLO_B64 = "SGVsbG8gV29ybGQ=";
    @TempDir
    static Path dir;
    private static MailboxJar relay;

    @BeforeAll
    static void start() throws Exception {
        relay = MailboxJar.start(dir.resolve("shared/relay.db"), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        relay.close();
    }

    private static String id(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theSeedsClientFlow_helloSendHealthz_onTheSharedPath() {
        try (WsClient client = WsClient.connect(relay.ws("/ws"))) {
            client.send("{\"type\":\"hello\",\"wayfarer_id\":\"test-client\"}");
            assertEquals("{\"type\":\"hello_ok\"}", client.next(WAIT).toString());
            client.send("{\"type\":\"send\",\"to\":\"recipient-id\",\"ttl_seconds\":3600,\"payload_b64\":\""
                    + HELLO_B64 + "\"}");
            JsonNode ok = client.next(WAIT);
            assertEquals("send_ok", ok.path("type").asText());
            UUID.fromString(ok.path("msg_id").asText());
            long now = System.currentTimeMillis() / 1000;
            assertTrue(Math.abs(ok.path("at").asLong() - now) < 30, ok.toString());
        }
        var health = relay.get("/healthz");
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(Files.isRegularFile(dir.resolve("shared/relay.db")), "the store file is created on first run");
    }

    @Test
    void everyFrame_offlineThenOnline_pushedAfterHelloOk_pulledUntilAcked_ackOnlyByTheRecipient() {
        String alice = id("alice");
        String bob = id("bob");
        try (WsClient a = relay.hello(alice)) {
            String first = send(a, bob, 3600, "b25l").path("msg_id").asText();
            String second = send(a, bob, 3600, "dHdv").path("msg_id").asText();

            // Bob comes online (on /ws, as the seed's clients do): what waited comes after hello_ok, oldest first.
            try (WsClient b = relay.hello("/ws", bob)) {
                JsonNode m1 = b.next(WAIT);
                JsonNode m2 = b.next(WAIT);
                assertEquals("message", m1.path("type").asText(), m1.toString());
                assertEquals(first, m1.path("msg_id").asText());
                assertEquals(alice, m1.path("from").asText());
                assertEquals("b25l", m1.path("payload_b64").asText());
                assertTrue(m1.path("at").asLong() > 0);
                assertEquals(second, m2.path("msg_id").asText());

                // Pushed but not acked: pull still lists both.
                JsonNode listed = pull(b, 50);
                assertEquals(2, listed.size(), listed.toString());
                assertEquals(first, listed.get(0).path("msg_id").asText());
                assertEquals("dHdv", listed.get(1).path("payload_b64").asText());

                // Someone else's ack is refused and removes nothing.
                a.send("{\"type\":\"ack\",\"msg_id\":\"" + first + "\"}");
                JsonNode refused = a.next(WAIT);
                assertEquals("error", refused.path("type").asText());
                assertTrue(refused.path("payload").asText().contains("not in your mailbox"), refused.toString());
                assertEquals(2, pull(b, 50).size());

                b.send("{\"type\":\"ack\",\"msg_id\":\"" + first + "\"}");
                JsonNode left = pull(b, 50);
                assertEquals(1, left.size(), left.toString());
                assertEquals(second, left.get(0).path("msg_id").asText());
                assertEquals(1, pull(b, 1).size());

                // Online: pushed at once, to every connection of the wayfarer.
                try (WsClient b2 = relay.hello(bob)) {
                    assertEquals(second, b2.next(WAIT).path("msg_id").asText(), "the second device gets what waits");
                    String third = send(a, bob, 60, "dGhyZWU=").path("msg_id").asText();
                    assertEquals(third, b.next(WAIT).path("msg_id").asText());
                    assertEquals(third, b2.next(WAIT).path("msg_id").asText());
                }
            }
            // Reconnecting offers again what was pushed but not acked.
            try (WsClient b = relay.hello(bob)) {
                List<String> again = new ArrayList<>();
                again.add(b.next(WAIT).path("msg_id").asText());
                again.add(b.next(WAIT).path("msg_id").asText());
                assertEquals(second, again.getFirst());
                assertNull(b.poll(Duration.ofMillis(300)));
            }
        }
    }

    @Test
    void badInputInEveryField_getsAnErrorFrameNamingIt_theSocketStaysUsable_andNothingIsStored() {
        String victim = id("victim");
        String big = "A".repeat(32_768 / 3 * 4 + 8);
        try (WsClient c = WsClient.connect(relay.ws("/mailbox/ws"))) {
            // Before hello.
            c.send("{\"type\":\"send\",\"to\":\"" + victim + "\",\"payload_b64\":\"" + HELLO_B64 + "\"}");
            assertError(c, "not hello'd yet");
            c.send("{\"type\":\"hello\"}");
            assertError(c, "missing field: wayfarer_id");
            c.send("{\"type\":\"hello\",\"wayfarer_id\":42}");
            assertError(c, "wayfarer_id must be a string");
            c.send("{\"type\":\"hello\",\"wayfarer_id\":\"a:b\"}");
            assertError(c, "wayfarer_id must not contain");
            c.send("{\"type\":\"hello\",\"wayfarer_id\":\"\"}");
            assertError(c, "wayfarer_id must not be empty");
            c.send("not json");
            assertError(c, "not valid JSON");
            c.send("{\"type\":\"hello\",\"wayfarer_id\":\"x\",\"token\":7}");
            assertError(c, "token must be a non-empty string");
            c.send("{\"type\":\"hello\",\"wayfarer_id\":\"" + id("sender") + "\"}");
            assertEquals("hello_ok", c.next(WAIT).path("type").asText());

            List<String[]> cases = List.of(
                    new String[]{"[1,2]", "JSON object"},
                    new String[]{"{\"wayfarer_id\":\"x\"}", "missing field: type"},
                    new String[]{"{\"type\":5}", "type must be a string"},
                    new String[]{"{\"type\":\"subscribe\"}", "unknown type \"subscribe\""},
                    new String[]{"{\"type\":\"hello\",\"wayfarer_id\":\"again\"}", "already hello'd"},
                    new String[]{sendFrame("null", "3600", "\"" + HELLO_B64 + "\""), "missing field: to"},
                    new String[]{sendFrame("\"a b\"", "3600", "\"" + HELLO_B64 + "\""), "to must not contain"},
                    new String[]{sendFrame("\"" + victim + "\"", "3600", "null"), "missing field: payload_b64"},
                    new String[]{sendFrame("\"" + victim + "\"", "3600", "\"not base64!\""), "bad base64"},
                    new String[]{sendFrame("\"" + victim + "\"", "3600", "12"), "payload_b64 must be a string"},
                    new String[]{sendFrame("\"" + victim + "\"", "3600", "\"" + big + "\""), "payload too large"},
                    new String[]{sendFrame("\"" + victim + "\"", "-1", "\"" + HELLO_B64 + "\""), "ttl_seconds must be 0 or more"},
                    new String[]{sendFrame("\"" + victim + "\"", "1.5", "\"" + HELLO_B64 + "\""), "ttl_seconds must be a whole"},
                    new String[]{sendFrame("\"" + victim + "\"", "\"60\"", "\"" + HELLO_B64 + "\""), "ttl_seconds must be a whole"},
                    new String[]{"{\"type\":\"ack\"}", "missing field: msg_id"},
                    new String[]{"{\"type\":\"ack\",\"msg_id\":\"\"}", "msg_id must be a message id"},
                    new String[]{"{\"type\":\"ack\",\"msg_id\":\"" + UUID.randomUUID() + "\"}", "not in your mailbox"},
                    new String[]{"{\"type\":\"pull\",\"limit\":0}", "limit must be a whole number, 1 or more"},
                    new String[]{"{\"type\":\"pull\",\"limit\":\"ten\"}", "limit must be a whole number"});
            for (String[] bad : cases) {
                c.send(bad[0]);
                assertError(c, bad[1]);
            }
            assertFalse(c.isClosed(), "errors keep the socket open");
            assertEquals(0, pull(c, 10).size());
        }
        try (WsClient v = relay.hello(victim)) {
            assertEquals(0, pull(v, 500).size(), "no bad send was stored");
        }
    }

    @Test
    void aClientThatNeverSaysAValidHello_isCutAfterSixteenErrors() {
        try (WsClient c = WsClient.connect(relay.ws("/mailbox/ws"))) {
            for (int i = 0; i < 16; i++) {
                c.send("{\"type\":\"pull\"}");
                assertError(c, "not hello'd yet");
            }
            c.send("{\"type\":\"pull\"}");
            assertError(c, "too many frames before a successful first frame");
            assertEquals(4400, c.awaitClose(WAIT).code());
        }
    }

    private static String sendFrame(String to, String ttl, String payload) {
        return "{\"type\":\"send\",\"to\":" + to + ",\"ttl_seconds\":" + ttl + ",\"payload_b64\":" + payload + "}";
    }

    private static void assertError(WsClient client, String expected) {
        JsonNode error = client.next(WAIT);
        assertEquals("error", error.path("type").asText(), error.toString());
        assertTrue(error.path("payload").asText().contains(expected),
                "expected \"" + expected + "\" in " + error);
    }

    @Test
    void aPullLimitAboveTheMaximum_isCapped_andTheTtlAboveTheMaximumIsCapped() {
        String carol = id("carol");
        try (WsClient a = relay.hello(id("sender"))) {
            for (int i = 0; i < 3; i++) {
                send(a, carol, 999_999_999, HELLO_B64);
            }
        }
        try (WsClient c = relay.hello(carol)) {
            for (int i = 0; i < 3; i++) {
                c.next(WAIT);
            }
            assertEquals(3, pull(c, 1_000_000).size());
            c.send("{\"type\":\"pull\"}");
            assertEquals(3, c.next(WAIT).path("messages").size(), "no limit: the default (50)");
        }
    }

    @Test
    void expiredMessages_areSweptAndCounted_andNeverDelivered() {
        String dave = id("dave");
        double expiredBefore = relay.metric("messages_expired_total");
        try (WsClient a = relay.hello(id("sender"))) {
            send(a, dave, 1, HELLO_B64);
        }
        GatewayHarness.eventually(Duration.ofSeconds(10), "the sweeper counts the expired message",
                () -> relay.metric("messages_expired_total") >= expiredBefore + 1);
        try (WsClient d = relay.hello(dave)) {
            assertNull(d.poll(Duration.ofMillis(500)), "nothing pushed after expiry");
            assertEquals(0, pull(d, 10).size());
        }
    }

    @Test
    void theSeedsMetrics_areInMetrics_besideRelaymeshs() {
        String erin = id("erin");
        try (WsClient a = relay.hello(id("sender"));
             WsClient e = relay.hello(erin)) {
            double received = relay.metric("messages_received_total");
            double delivered = relay.metric("messages_delivered_total");
            assertTrue(relay.metric("connections_current") >= 2);
            send(a, erin, 60, HELLO_B64);
            e.next(WAIT);
            assertEquals(received + 1, relay.metric("messages_received_total"));
            assertTrue(relay.metric("messages_persisted_total") >= 1);
            assertTrue(relay.metric("messages_delivered_total") >= delivered + 1);
        }
        String metrics = relay.get("/metrics").body();
        assertTrue(metrics.contains("store_errors_total{dialect=\"mailbox\"}"), "store errors start at 0");
        assertTrue(metrics.contains("relaymesh_"), "Relaymesh's own metrics are still there");
    }

    @Test
    void aBackend_sendsIntoAMailboxOverHttp_andABadPayloadIs400NamingTheField() {
        String fay = id("fay");
        try (WsClient f = relay.hello(fay)) {
            ObjectNode payload = WsClient.JSON.createObjectNode();
            payload.put("from", "backend").put("payload_b64", HELLO_B64).put("ttl_seconds", 60);
            var published = relay.publish("mailbox." + fay, payload);
            assertEquals(200, published.statusCode(), published.body());
            JsonNode pushed = f.next(WAIT);
            assertEquals("message", pushed.path("type").asText(), pushed.toString());
            assertEquals("backend", pushed.path("from").asText());
            assertEquals(HELLO_B64, pushed.path("payload_b64").asText());
            assertEquals(1, pull(f, 10).size(), "stored, not only pushed");

            payload.put("payload_b64", "%%%");
            var bad = relay.publish("mailbox." + fay, payload);
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("bad base64"), bad.body());
            payload.remove("from");
            payload.put("payload_b64", HELLO_B64);
            var noFrom = relay.publish("mailbox." + fay, payload);
            assertEquals(400, noFrom.statusCode());
            assertTrue(noFrom.body().contains("missing field: from"), noFrom.body());
            assertEquals(1, pull(f, 10).size());
        }
    }

    @Test
    void messagesSurviveKillMinus9AndARestart() throws Exception {
        Path store = dir.resolve("killed/relay.db");
        String gus = id("gus");
        String stored;
        try (MailboxJar doomed = MailboxJar.start(store, Map.of())) {
            try (WsClient a = doomed.hello(id("sender"))) {
                stored = send(a, gus, 3600, HELLO_B64).path("msg_id").asText();
            }
            doomed.kill();
        }
        try (MailboxJar again = MailboxJar.start(store, Map.of());
             WsClient g = again.hello(gus)) {
            JsonNode pushed = g.next(WAIT);
            assertEquals(stored, pushed.path("msg_id").asText(), pushed.toString());
            assertEquals(200, again.get("/healthz").statusCode());
        }
    }

    @Test
    void disabled_theDialectContributesNothing_noPathNoHealthzNoStoreNoMetrics() throws Exception {
        Path store = dir.resolve("disabled/relay.db");
        try (MailboxJar off = MailboxJar.start(store, Map.of("RELAYMESH_DIALECTS_MAILBOX_ENABLED", "false"))) {
            assertEquals(404, off.get("/healthz").statusCode());
            assertEquals(404, off.get("/mailbox/ws").statusCode());
            assertFalse(off.get("/metrics").body().contains("\nmessages_received_total{"), "no seed metric");
            assertFalse(Files.exists(store), "no store opened");
        }
    }

    @Test
    void withRequireToken_helloNeedsAJwtWhoseSubjectIsTheWayfarer() throws Exception {
        try (MailboxJar secured = MailboxJar.start(dir.resolve("jwt/relay.db"), Map.of(
                "RELAYMESH_DIALECTS_MAILBOX_REQUIRE_TOKEN", "true",
                "RELAYMESH_AUTH_JWT_SECRET", JwtTokens.SECRET));
             WsClient c = WsClient.connect(secured.ws("/mailbox/ws"))) {
            c.send("{\"type\":\"hello\",\"wayfarer_id\":\"hank\"}");
            assertError(c, "token is required");
            String forOther = JwtTokens.hs256(JwtTokens.SECRET, new com.nimbusds.jwt.JWTClaimsSet.Builder()
                    .subject("someone-else").expirationTime(new java.util.Date(System.currentTimeMillis() + 60_000)));
            c.send("{\"type\":\"hello\",\"wayfarer_id\":\"hank\",\"token\":\"" + forOther + "\"}");
            assertError(c, "subject is not the wayfarer_id");
            c.send("{\"type\":\"hello\",\"wayfarer_id\":\"hank\",\"token\":\"not.a.jwt\"}");
            assertError(c, "token refused");
            String good = JwtTokens.hs256(JwtTokens.SECRET, new com.nimbusds.jwt.JWTClaimsSet.Builder()
                    .subject("hank").expirationTime(new java.util.Date(System.currentTimeMillis() + 60_000)));
            c.send("{\"type\":\"hello\",\"wayfarer_id\":\"hank\",\"token\":\"" + good + "\"}");
            assertEquals("hello_ok", c.next(WAIT).path("type").asText());
            assertFalse(secured.jar.output().contains("dialects.mailbox.require_token is false"));
        }
        assertTrue(relay.jar.output().contains("dialects.mailbox.require_token is false"),
                "the seed-compatible setting is warned about at start");
    }
}
