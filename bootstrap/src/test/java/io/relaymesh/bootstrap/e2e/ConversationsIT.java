package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static io.relaymesh.bootstrap.e2e.ChatClients.WAIT;
import static io.relaymesh.bootstrap.e2e.ChatClients.auth;
import static io.relaymesh.bootstrap.e2e.ChatClients.connect;
import static io.relaymesh.bootstrap.e2e.ChatClients.ids;
import static io.relaymesh.bootstrap.e2e.ChatClients.joined;
import static io.relaymesh.bootstrap.e2e.ChatClients.next;
import static io.relaymesh.bootstrap.e2e.ChatClients.none;
import static io.relaymesh.bootstrap.e2e.ChatClients.presenceOf;
import static io.relaymesh.bootstrap.e2e.ChatClients.subscribe;
import static io.relaymesh.bootstrap.e2e.ChatClients.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, standalone: every frame of the chat gateway seed (003) on one real gateway: auth in
 * the first frame, subscribe, message.new from the HTTP publish API, typing to the others only and
 * its expiry, presence, ping, the idle close, the 8 KB limit, the auth timeout and bad tokens.
 */
class ConversationsIT {
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayHarness.start(ChatClients.env(Map.of()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static URI path() {
        return gateway.ws("/conversations/ws");
    }

    @Test
    void aSeedClient_authenticatesSubscribesAndGetsMessageNewExactlyAsTheSeedWritesIt() throws Exception {
        try (WsClient alice = joined(path(), "alice", "conv-1", "conv-2");
             WsClient onSharedPath = joined(gateway.ws("/ws"), "bob", "conv-1")) {
            String message = "{\"id\":\"msg-1\",\"sender_id\":\"bob\",\"content\":\"Hello!\","
                    + "\"created_at\":\"2025-10-27T12:00:00Z\"}";
            gateway.publish("conversations.conv-1", message);
            for (WsClient client : List.of(alice, onSharedPath)) {
                JsonNode frame = next(client, "message.new");
                // The publish API gives a payload without one an event_id (clients deduplicate by it):
                // the only field added to the seed's message object.
                assertFalse(((com.fasterxml.jackson.databind.node.ObjectNode) frame.path("payload").path("message"))
                        .remove("event_id").asText().isEmpty());
                // And the frame's position (an addition, issue 18: clients resume from it).
                assertFalse(((com.fasterxml.jackson.databind.node.ObjectNode) frame).remove("position").asText().isEmpty());
                assertEquals(WsClient.JSON.readTree("{\"type\":\"message.new\",\"payload\":{\"conversation_id\":\"conv-1\","
                        + "\"message\":" + message + "}}"), frame);
            }
            gateway.publish("conversations.conv-2", "{\"id\":\"msg-2\",\"content\":\"only alice\"}");
            assertEquals("msg-2", next(alice, "message.new").path("payload").path("message").path("id").asText());
            assertNull(none(onSharedPath, "message.new", Duration.ofMillis(300)), "bob is not in conv-2");

            // users.{id}: a whole frame for every connection of that user, verbatim.
            gateway.publish("users.alice", "{\"type\":\"conversation.created\",\"payload\":{\"conversation_id\":\"conv-9\"}}");
            assertEquals("conv-9", next(alice, "conversation.created").path("payload").path("conversation_id").asText());

            alice.send("{\"type\":\"ping\"}");
            next(alice, "pong");

            alice.send("{\"type\":\"unsubscribe\",\"payload\":{\"conversation_ids\":[\"conv-1\"]}}");
            assertEquals(List.of("conv-1"), ids(next(alice, "unsubscribed")));
            gateway.publish("conversations.conv-1", "{\"id\":\"msg-3\"}");
            next(onSharedPath, "message.new");
            assertNull(none(alice, "message.new", Duration.ofMillis(300)), "alice left conv-1");
        }
    }

    @Test
    void health_countsConnections_andRootAnswersJsonOnlyToJsonRequests() throws Exception {
        try (WsClient carol = connect(path(), "carol")) {
            JsonNode health = GatewayHarness.json(gateway.get("/health").body());
            assertEquals("ok", health.path("status").asText());
            assertTrue(health.path("connections").asInt() >= 1, health.toString());
            HttpResponse<String> json = gateway.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/"))
                    .header("Accept", "application/json").GET().build());
            assertEquals(200, json.statusCode());
            assertEquals(WsClient.JSON.readTree("{\"service\":\"WebSocket Gateway\",\"status\":\"ok\"}"),
                    WsClient.JSON.readTree(json.body()));
            HttpResponse<String> html = gateway.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/"))
                    .header("Accept", "text/html").GET().build());
            assertFalse(html.body().contains("WebSocket Gateway\",\"status"), "a browser keeps the status page");
        }
    }

    @Test
    void typing_reachesTheOthersAndTheUsersOtherConnection_notTheSender_andStopsAfterTheExpiry() throws Exception {
        try (WsClient dave = joined(path(), "dave", "typing-1");
             WsClient daveOnPhone = joined(path(), "dave", "typing-1");
             WsClient erin = joined(path(), "erin", "typing-1")) {
            dave.send("{\"type\":\"typing\",\"payload\":{\"conversation_id\":\"typing-1\"}}");
            long sent = System.nanoTime();
            for (WsClient other : List.of(erin, daveOnPhone)) {
                JsonNode start = next(other, "typing.start");
                assertEquals(WsClient.JSON.readTree("{\"conversation_id\":\"typing-1\",\"user_id\":\"dave\"}"),
                        start.path("payload"));
            }
            JsonNode stop = next(erin, "typing.stop", Duration.ofSeconds(5));
            long afterMillis = Duration.ofNanos(System.nanoTime() - sent).toMillis();
            assertEquals("dave", stop.path("payload").path("user_id").asText());
            assertTrue(afterMillis >= 900, "typing.stop after the 1 s expiry, got it after " + afterMillis + " ms");
            assertNull(none(dave, "typing.start", Duration.ofMillis(300)), "never back to the sending connection");

            // Typing in a conversation one has not joined is refused with a reason.
            erin.send("{\"type\":\"typing\",\"payload\":{\"conversation_id\":\"elsewhere\"}}");
            assertTrue(next(erin, "error").path("payload").path("message").asText().contains("subscribe"));
        }
    }

    @Test
    void presence_goesOnlineOnJoin_canBeQueried_andGoesOfflineWhenTheLastConnectionCloses() throws Exception {
        try (WsClient frank = joined(path(), "frank", "presence-1")) {
            WsClient grace = joined(path(), "grace", "presence-1");
            WsClient graceTwo = joined(path(), "grace", "presence-1");
            assertEquals("online", presenceOf(frank, "grace", WAIT));

            frank.send("{\"type\":\"presence.query\",\"payload\":{\"conversation_id\":\"presence-1\"}}");
            JsonNode state = next(frank, "presence.state");
            assertTrue(state.path("payload").path("users").toString().contains("{\"user_id\":\"grace\",\"status\":\"online\"}"),
                    state.toString());
            frank.send("{\"type\":\"presence.query\",\"payload\":{\"conversation_id\":\"presence-1\",\"user_ids\":[\"grace\",\"nobody\"]}}");
            assertEquals("[{\"user_id\":\"grace\",\"status\":\"online\"},{\"user_id\":\"nobody\",\"status\":\"offline\"}]",
                    next(frank, "presence.state").path("payload").path("users").toString());

            grace.close();
            assertNull(none(frank, "presence.update", Duration.ofMillis(500)), "grace still has a connection open");
            graceTwo.close();
            assertEquals("offline", presenceOf(frank, "grace", WAIT));
        }
    }

    @Test
    void presence_lapsesAfterTheExpiry_whenAConnectionSendsNoHeartbeat() throws Exception {
        try (WsClient henry = joined(path(), "henry", "presence-2");
             WsClient ida = joined(path(), "ida", "presence-2")) {
            assertEquals("online", presenceOf(henry, "ida", WAIT));
            // Henry keeps beating; ida is silent: after 2 s without a heartbeat she counts as gone.
            long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            String status = null;
            long nextPing = 0;
            while (status == null && System.nanoTime() < deadline) {
                if (System.nanoTime() >= nextPing) {
                    henry.send("{\"type\":\"ping\"}");
                    nextPing = System.nanoTime() + Duration.ofMillis(300).toNanos();
                }
                JsonNode frame = henry.poll(Duration.ofMillis(100));
                if (frame != null && "presence.update".equals(frame.path("type").asText())
                        && "ida".equals(frame.path("payload").path("user_id").asText())) {
                    status = frame.path("payload").path("status").asText();
                }
            }
            assertEquals("offline", status, "ida's presence lapsed without heartbeats");
            ida.send("{\"type\":\"ping\"}");
            assertEquals("online", presenceOf(henry, "ida", WAIT), "a heartbeat brings her back");
        }
    }

    @Test
    void tokens_withoutTheConversation_cannotJoinIt() throws Exception {
        try (WsClient judy = WsClient.connect(path())) {
            judy.send(auth(token("judy", List.of("allowed-1"))));
            next(judy, "auth.success");
            judy.send(subscribe("allowed-1", "secret-1"));
            JsonNode error = next(judy, "error");
            assertEquals("Forbidden", error.path("payload").path("code").asText());
            assertTrue(error.path("payload").path("message").asText().contains("secret-1"));
            assertEquals(List.of("allowed-1"), ids(next(judy, "subscribed")));
        }
    }

    @Test
    void badAndExpiredTokens_getAnErrorAndA4403Close() {
        String wrongKey = JwtTokens.hs256("another-secret-0123456789abcdef-0123456789",
                new JWTClaimsSet.Builder().subject("mallory").expirationTime(Date.from(Instant.now().plusSeconds(600))));
        String expired = JwtTokens.hs256(JwtTokens.SECRET,
                new JWTClaimsSet.Builder().subject("mallory").expirationTime(Date.from(Instant.now().minusSeconds(600))));
        for (String token : List.of(wrongKey, expired, "not-a-jwt")) {
            try (WsClient client = WsClient.connect(path())) {
                client.send(auth(token));
                client.expectErrorAndClose("InvalidToken", 4403);
            }
        }
        try (WsClient shared = WsClient.connect(gateway.ws("/ws"))) {
            shared.send(auth(expired));
            shared.expectErrorAndClose("InvalidToken", 4403);
        }
    }

    @Test
    void nothingBeforeAuth_isAccepted_andAuthMustComeInTime() {
        try (WsClient eager = WsClient.connect(path())) {
            eager.send(subscribe("conv-1"));
            eager.expectErrorAndClose("AuthRequired", 4401);
        }
        for (String p : List.of("/conversations/ws", "/ws")) {
            try (WsClient silent = WsClient.connect(gateway.ws(p))) {
                long start = System.nanoTime();
                JsonNode error = silent.next(Duration.ofSeconds(5));
                assertEquals("error", error.path("type").asText(), error.toString());
                assertEquals(4408, silent.awaitClose(WAIT).code());
                assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 900, "not before the 1 s limit");
            }
        }
    }

    @Test
    void framesOver8KB_closeTheConnectionWith1009_andSmallerOnesAreServed() {
        try (WsClient kim = connect(path(), "kim")) {
            kim.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(8000) + "\"}");
            next(kim, "pong");
            kim.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(8200) + "\"}");
            kim.expectErrorAndClose("MessageTooLarge", 1009);
        }
    }

    @Test
    void malformedFrames_getAnErrorNamingTheProblem_andTheConnectionStays() {
        try (WsClient lee = connect(path(), "lee")) {
            lee.send("not json");
            assertEquals("BadRequest", next(lee, "error").path("payload").path("code").asText());
            lee.send("{\"type\":\"dance\"}");
            assertTrue(next(lee, "error").path("payload").path("message").asText().contains("dance"));
            lee.send("{\"type\":\"subscribe\",\"payload\":{\"conversation_ids\":\"c1\"}}");
            assertTrue(next(lee, "error").path("payload").path("message").asText().contains("conversation_ids"));
            lee.send("{\"type\":\"ping\"}");
            next(lee, "pong");
        }
    }

    @Test
    void aSilentConnection_isClosedAfterTheIdleTimeout_andOneThatPingsStays() throws Exception {
        try (GatewayHarness quick = GatewayHarness.start(ChatClients.env(Map.of(
                "RELAYMESH_DIALECTS_CONVERSATIONS_IDLE_TIMEOUT_SECONDS", "1")));
             WsClient silent = connect(quick.ws("/conversations/ws"), "mia");
             WsClient pinging = connect(quick.ws("/conversations/ws"), "ned")) {
            long start = System.nanoTime();
            while (!silent.isClosed() && System.nanoTime() - start < Duration.ofSeconds(5).toNanos()) {
                pinging.send("{\"type\":\"ping\"}");
                Thread.sleep(250);
            }
            assertEquals(4408, silent.awaitClose(WAIT).code());
            long took = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(took >= 900, "closed after the 1 s idle timeout, took " + took + " ms");
            assertFalse(pinging.isClosed(), "a client that pings is not idle");
        }
    }

    @Test
    void disabled_theDialectContributesNothing() {
        // /ws goes only when no dialect owns a first frame there: the mailbox's hello, the topics'
        // subscribe and the rooms' join are turned off too.
        try (GatewayHarness off = GatewayHarness.start(ChatClients.env(Map.of(
                "RELAYMESH_DIALECTS_CONVERSATIONS_ENABLED", "false", "RELAYMESH_DIALECTS_MAILBOX_ENABLED", "false",
                "RELAYMESH_DIALECTS_TOPICS_ENABLED", "false", "RELAYMESH_DIALECTS_ROOMS_ENABLED", "false")))) {
            HttpResponse<String> json = off.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + off.port() + "/"))
                    .header("Accept", "application/json").GET().build());
            assertFalse(json.body().contains("WebSocket Gateway"), json.body());
            for (String p : List.of("/conversations/ws", "/ws")) {
                RuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                        () -> WsClient.connect(off.ws(p)).close(), p + " is not a WebSocket endpoint any more");
                assertTrue(String.valueOf(refused.getCause()).contains("WebSocketHandshakeException")
                        || refused.toString().contains("WebSocketHandshakeException"), refused.toString());
            }
        }
    }

    @Test
    void theBuiltJar_standalone_servesTheSeedsClientFrameByFrame() throws Exception {
        int port = JarProcess.freePort();
        java.util.Map<String, String> env = new java.util.HashMap<>(JarProcess.keyedEnv(port));
        env.putAll(ChatClients.env(Map.of()));
        try (JarProcess jar = JarProcess.start(port, env, 0).awaitUp();
             WsClient sender = joined(URI.create("ws://127.0.0.1:" + port + "/ws"), "jar-sender", "jar-conv");
             WsClient reader = joined(URI.create("ws://127.0.0.1:" + port + "/ws"), "jar-reader", "jar-conv")) {
            sender.send("{\"type\":\"typing\",\"payload\":{\"conversation_id\":\"jar-conv\"}}");
            assertEquals("jar-sender", next(reader, "typing.start").path("payload").path("user_id").asText());
            HttpResponse<String> published = gateway.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/api/v1/publish"))
                    .header("X-API-Key", GatewayHarness.ADMIN_KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"subject\":\"conversations.jar-conv\",\"payload\":"
                            + "{\"id\":\"jm-1\",\"sender_id\":\"jar-sender\",\"content\":\"Hello!\"}}")).build());
            assertEquals(200, published.statusCode(), published.body());
            for (WsClient client : List.of(sender, reader)) {
                JsonNode frame = next(client, "message.new");
                assertEquals("jar-conv", frame.path("payload").path("conversation_id").asText());
                assertEquals("Hello!", frame.path("payload").path("message").path("content").asText());
            }
            assertEquals("jar-sender", next(reader, "typing.stop", Duration.ofSeconds(5)).path("payload").path("user_id").asText());
            reader.send("{\"type\":\"ping\"}");
            next(reader, "pong");
            JsonNode health = GatewayHarness.json(gateway.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/health")).GET().build()).body());
            assertEquals(2, health.path("connections").asInt(), health.toString());
            HttpResponse<String> root = gateway.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("Accept", "application/json").GET().build());
            assertEquals("WebSocket Gateway", GatewayHarness.json(root.body()).path("service").asText());
        }
    }

    @Test
    void aClientBackWithSince_getsWhatItMissedInItsConversationsAndItsOwnFrames_andIsToldRecovered() throws Exception {
        String position;
        try (WsClient first = joined(path(), "rita", "conv-r")) {
            gateway.publish("conversations.conv-r", "{\"id\":\"r-0\"}");
            position = next(first, "message.new").path("position").asText();
            assertFalse(position.isEmpty(), "message.new carries its position");
        }
        gateway.publish("conversations.conv-r", "{\"id\":\"r-1\"}");
        gateway.publish("users.rita", "{\"type\":\"conversation.created\",\"payload\":{\"conversation_id\":\"x\"}}");
        gateway.publish("conversations.conv-r", "{\"id\":\"r-2\"}");
        gateway.publish("conversations.conv-other", "{\"id\":\"not-hers\"}");

        try (WsClient back = WsClient.connect(path())) {
            back.send("{\"type\":\"auth\",\"payload\":{\"token\":\"" + token("rita", null) + "\",\"since\":\""
                    + position + "\"}}");
            JsonNode ok = next(back, "auth.success");
            assertTrue(ok.path("payload").path("recovered").asBoolean(false), ok.toString());
            assertEquals("x", next(back, "conversation.created").path("payload").path("conversation_id").asText(),
                    "her own frame missed while away comes right after auth.success");
            back.send("{\"type\":\"subscribe\",\"payload\":{\"conversation_ids\":[\"conv-r\"],\"since\":\""
                    + position + "\"}}");
            JsonNode subscribed = next(back, "subscribed");
            assertTrue(subscribed.path("payload").path("recovered").asBoolean(false), subscribed.toString());
            assertEquals("r-1", next(back, "message.new").path("payload").path("message").path("id").asText());
            assertEquals("r-2", next(back, "message.new").path("payload").path("message").path("id").asText());
            assertNull(none(back, "message.new", Duration.ofMillis(300)), "each once, nothing of other conversations");
        }
        try (WsClient stranger = WsClient.connect(path())) {
            stranger.send("{\"type\":\"auth\",\"payload\":{\"token\":\"" + token("rita", null)
                    + "\",\"since\":\"another-epoch:3\"}}");
            assertFalse(next(stranger, "auth.success").path("payload").path("recovered").asBoolean(true),
                    "a position this gateway never gave is a gap");
        }
    }
}
