package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The delivery rules of the primary protocol, through a real server and real WebSocket clients. */
class DeliveryRulesIT {
    private static final Duration QUIET = Duration.ofMillis(300);
    private static GatewayHarness gw;

    @BeforeAll
    static void start() {
        gw = GatewayHarness.start();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void chatsEvent_reachesEveryUserOfThatAgent_andNoOneElse() {
        try (WsClient alice = gw.user("acme", "support", "alice");
             WsClient bob = gw.user("acme", "support", "bob");
             WsClient otherAgent = gw.user("acme", "sales", "carol");
             WsClient otherCompany = gw.user("globex", "support", "dave")) {
            JsonNode answer = gw.publish("websocket.acme.support.chats", "{\"event_id\":\"c-1\",\"n\":1}");
            assertEquals(2, answer.path("delivered").asInt(), answer.toString());
            for (WsClient client : new WsClient[]{alice, bob}) {
                JsonNode frame = client.next();
                assertEquals("event", frame.path("type").asText());
                assertEquals("c-1", frame.path("payload").path("event_id").asText());
                assertEquals(1, frame.path("payload").path("n").asInt());
            }
            assertNull(otherAgent.poll(QUIET));
            assertNull(otherCompany.poll(QUIET));
        }
    }

    @Test
    void payload_isDeliveredUnchanged() {
        try (WsClient alice = gw.user("acme", "payload", "alice")) {
            String payload = "{\"event_id\":\"p-1\",\"row_data\":{\"nested\":[1,2,{\"x\":\"ü ✓\"}],\"nul\":null}}";
            gw.publish("websocket.acme.payload.chats", payload);
            JsonNode frame = alice.next();
            assertEquals(GatewayHarness.json(payload), frame.path("payload"));
        }
    }

    @Test
    void messagesEvent_reachesOnlyConnectionsThatSelectedTheChat() {
        try (WsClient alice = gw.user("acme", "msgs", "alice");
             WsClient bob = gw.user("acme", "msgs", "bob")) {
            alice.send("{\"type\":\"select_chat\",\"payload\":{\"chat_id\":\"chat-9\"}}");
            bob.send("{\"type\":\"select_chat\",\"payload\":{\"chat_id\":\"chat-7\"}}");
            // select_chat has no reply; a ping round trip shows it was processed.
            alice.send("{\"type\":\"ping\"}");
            assertEquals("pong", alice.next().path("type").asText());
            bob.send("{\"type\":\"ping\"}");
            assertEquals("pong", bob.next().path("type").asText());

            JsonNode answer = gw.publish("websocket.acme.msgs.messages.chat-9", "{\"event_id\":\"m-1\"}");
            assertEquals(1, answer.path("delivered").asInt());
            assertEquals("m-1", alice.next().path("payload").path("event_id").asText());
            assertNull(bob.poll(QUIET));
        }
    }

    @Test
    void selectingAnotherChat_replacesTheFirst() {
        try (WsClient alice = gw.user("acme", "switch", "alice")) {
            alice.send("{\"type\":\"select_chat\",\"payload\":{\"chat_id\":\"one\"}}");
            alice.send("{\"type\":\"select_chat\",\"payload\":{\"chat_id\":\"two\"}}");
            alice.send("{\"type\":\"ping\"}");
            assertEquals("pong", alice.next().path("type").asText());
            assertEquals(0, gw.publish("websocket.acme.switch.messages.one", "{\"event_id\":\"s-1\"}")
                    .path("delivered").asInt());
            gw.publish("websocket.acme.switch.messages.two", "{\"event_id\":\"s-2\"}");
            assertEquals("s-2", alice.next().path("payload").path("event_id").asText());
        }
    }

    @Test
    void chatsEvent_stillReachesAUserWhoSelectedAChat() {
        try (WsClient alice = gw.user("acme", "both", "alice")) {
            alice.send("{\"type\":\"select_chat\",\"payload\":{\"chat_id\":\"c\"}}");
            alice.send("{\"type\":\"ping\"}");
            alice.next();
            gw.publish("websocket.acme.both.chats", "{\"event_id\":\"b-1\"}");
            assertEquals("b-1", alice.next().path("payload").path("event_id").asText());
        }
    }

    @Test
    void agentsEvent_reachesAdminsByTheirSubscription() {
        try (WsClient exact = gw.admin("adm-exact", "acme", "ops", null);
             WsClient companyWide = gw.admin("adm-company", "acme", null, null);
             WsClient everything = gw.admin("adm-all", null, null, null);
             WsClient otherAgent = gw.admin("adm-other", "acme", "billing", null);
             WsClient restricted = gw.admin("adm-restricted", null, null, "globex");
             WsClient user = gw.user("acme", "ops", "alice")) {
            JsonNode answer = gw.publish("websocket.acme.ops.agents", "{\"event_id\":\"a-1\"}");
            assertEquals(3, answer.path("delivered").asInt(), answer.toString());
            for (WsClient admin : new WsClient[]{exact, companyWide, everything}) {
                assertEquals("a-1", admin.next().path("payload").path("event_id").asText());
            }
            assertNull(otherAgent.poll(QUIET));
            assertNull(restricted.poll(QUIET), "company_id_restriction=globex must hide acme events");
            assertNull(user.poll(QUIET), "agents events are for admins only");

            gw.publish("websocket.globex.ops.agents", "{\"event_id\":\"a-2\"}");
            assertEquals("a-2", restricted.next().path("payload").path("event_id").asText());
            assertEquals("a-2", everything.next().path("payload").path("event_id").asText());
        }
    }

    @Test
    void publishWithoutEventId_getsOneGenerated_andClientsSeeIt() {
        try (WsClient alice = gw.user("acme", "noid", "alice")) {
            JsonNode answer = gw.publish("websocket.acme.noid.chats", "{\"x\":1}");
            String id = answer.path("event_id").asText();
            assertEquals(36, id.length(), answer.toString());
            JsonNode payload = alice.next().path("payload");
            assertEquals(id, payload.path("event_id").asText(), "clients deduplicate by event_id: " + payload);
            assertEquals(1, payload.path("x").asInt());
        }
    }

    @Test
    void adminTokenWithStarSubscription_receivesEverything() {
        try (WsClient admin = gw.admin("adm-star", "*", "*", null)) {
            gw.publish("websocket.initech.ops.agents", "{\"event_id\":\"star-1\"}");
            assertEquals("star-1", admin.next().path("payload").path("event_id").asText());
        }
    }

    @Test
    void apiKeyInHeader_isAcceptedLikeTheQueryParameter() {
        String token = gw.userToken("acme", "hdr", "alice", 60);
        try (WsClient client = WsClient.connectWithHeader(
                gw.ws("/ws/acme/hdr?token=" + GatewayHarness.q(token)), GatewayHarness.GENERAL_KEY)) {
            client.expectReady();
        }
    }
}
