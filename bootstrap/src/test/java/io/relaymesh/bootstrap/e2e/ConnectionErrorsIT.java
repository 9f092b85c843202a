package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.relaymesh.bootstrap.e2e.GatewayHarness.ADMIN_KEY;
import static io.relaymesh.bootstrap.e2e.GatewayHarness.GENERAL_KEY;
import static io.relaymesh.bootstrap.e2e.GatewayHarness.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every failure row of the protocol: an error frame naming the problem, then the close code. */
class ConnectionErrorsIT {
    private static GatewayHarness gw;

    @BeforeAll
    static void start() {
        gw = GatewayHarness.start(Map.of(
                "RELAYMESH_SERVER_MAX_FRAME_BYTES", "1024",
                "RELAYMESH_APP_CLIENT_MAX_MESSAGES_PER_SECOND", "5",
                "RELAYMESH_APP_CLIENT_MESSAGE_BURST", "10"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private String token() {
        return gw.userToken("acme", "support", "alice", 60);
    }

    @Test
    void missingApiKey_closesWith4401() {
        try (WsClient c = WsClient.connect(gw.ws("/ws/acme/support?token=" + q(token())))) {
            JsonNode error = c.expectErrorAndClose("InvalidAPIKey", 4401);
            assertTrue(error.path("payload").path("message").asText().contains("missing"));
        }
    }

    @Test
    void wrongApiKey_closesWith4401() {
        try (WsClient c = WsClient.connect(gw.ws("/ws/acme/support?token=" + q(token()) + "&x-api-key=nope"))) {
            c.expectErrorAndClose("InvalidAPIKey", 4401);
        }
    }

    @Test
    void adminKeyOnUserEndpoint_closesWith4401() {
        try (WsClient c = WsClient.connect(gw.ws("/ws/acme/support?token=" + q(token()) + "&x-api-key="
                + q(ADMIN_KEY)))) {
            c.expectErrorAndClose("InvalidAPIKey", 4401);
        }
    }

    @Test
    void missingToken_closesWith4403() {
        try (WsClient c = WsClient.connect(gw.ws("/ws/acme/support?x-api-key=" + q(GENERAL_KEY)))) {
            c.expectErrorAndClose("InvalidToken", 4403);
        }
    }

    @Test
    void garbageToken_closesWith4403() {
        try (WsClient c = WsClient.connect(gw.userUri("acme", "support", "not-a-token"))) {
            c.expectErrorAndClose("InvalidToken", 4403);
        }
    }

    @Test
    void tokenForAnotherAgent_closesWith4403_namingBoth() {
        try (WsClient c = WsClient.connect(gw.userUri("acme", "sales", token()))) {
            JsonNode error = c.expectErrorAndClose("InvalidToken", 4403);
            String message = error.path("payload").path("message").asText();
            assertTrue(message.contains("acme/support") && message.contains("acme/sales"), message);
        }
    }

    @Test
    void expiredToken_closesWith4403() throws InterruptedException {
        String shortLived = gw.userToken("acme", "support", "exp", 1);
        Thread.sleep(2100);
        try (WsClient c = WsClient.connect(gw.userUri("acme", "support", shortLived))) {
            JsonNode error = c.expectErrorAndClose("InvalidToken", 4403);
            assertTrue(error.path("payload").path("message").asText().contains("expired"));
        }
    }

    @Test
    void userTokenOnAdminEndpoint_closesWith4403() {
        try (WsClient c = WsClient.connect(gw.ws("/ws/admin?token=" + q(token()) + "&x-api-key=" + q(ADMIN_KEY)))) {
            c.expectErrorAndClose("InvalidToken", 4403);
        }
    }

    @Test
    void generalKeyOnAdminEndpoint_closesWith4401() {
        String adminToken = gw.adminToken("adm", null, null, null);
        try (WsClient c = WsClient.connect(gw.ws("/ws/admin?token=" + q(adminToken) + "&x-api-key="
                + q(GENERAL_KEY)))) {
            c.expectErrorAndClose("InvalidAPIKey", 4401);
        }
    }

    @Test
    void frameThatIsNotJson_closesWith4400() {
        try (WsClient c = gw.user("acme", "bad", "json")) {
            c.send("{not json");
            JsonNode error = c.expectErrorAndClose("BadRequest", 4400);
            assertTrue(error.path("payload").path("message").asText().contains("not valid JSON"));
        }
    }

    @Test
    void unknownFrameType_closesWith4400() {
        try (WsClient c = gw.user("acme", "bad", "type")) {
            c.send("{\"type\":\"subscribe_everything\"}");
            JsonNode error = c.expectErrorAndClose("BadRequest", 4400);
            assertTrue(error.path("payload").path("message").asText().contains("subscribe_everything"));
        }
    }

    @Test
    void oversizedFrame_closesWith4400() {
        try (WsClient c = gw.user("acme", "bad", "big")) {
            c.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(2000) + "\"}");
            JsonNode error = c.expectErrorAndClose("BadRequest", 4400);
            assertTrue(error.path("payload").path("message").asText().contains("1024"));
        }
    }

    @Test
    void selectChatWithoutChatId_isMalformed_closesWith4400() {
        try (WsClient c = gw.user("acme", "bad", "nochat")) {
            c.send("{\"type\":\"select_chat\",\"payload\":{}}");
            JsonNode error = c.expectErrorAndClose("BadRequest", 4400);
            assertTrue(error.path("payload").path("message").asText().contains("chat_id"));
        }
    }

    @Test
    void invalidChatId_getsAnErrorFrame_andTheConnectionStaysOpen() {
        try (WsClient c = gw.user("acme", "bad", "dots")) {
            c.send("{\"type\":\"select_chat\",\"payload\":{\"chat_id\":\"a.b\"}}");
            JsonNode error = c.next();
            assertEquals("BadRequest", error.path("payload").path("code").asText());
            c.send("{\"type\":\"ping\"}");
            assertEquals("pong", c.next().path("type").asText());
        }
    }

    @Test
    void tooManyFrames_closesWith4429() {
        try (WsClient c = gw.user("acme", "rate", "spammer")) {
            for (int i = 0; i < 30 && !c.isClosed(); i++) {
                c.send("{\"type\":\"ping\"}");
            }
            JsonNode frame;
            do {
                frame = c.next();
            } while (frame.path("type").asText().equals("pong"));
            assertEquals("RateLimitExceeded", frame.path("payload").path("code").asText(), frame.toString());
            assertEquals(4429, c.awaitClose(Duration.ofSeconds(5)).code());
        }
    }

    @Test
    void badPathSegment_closesWith4400() {
        try (WsClient c = WsClient.connect(gw.ws("/ws/ac%20me/support?token=" + q(token()) + "&x-api-key="
                + q(GENERAL_KEY)))) {
            c.expectErrorAndClose("BadRequest", 4400);
        }
    }

    @Test
    void authFailures_areCountedByReason() {
        try (WsClient c = WsClient.connect(gw.ws("/ws/acme/support?token=x&x-api-key=wrong"))) {
            c.expectErrorAndClose("InvalidAPIKey", 4401);
        }
        String metrics = gw.get("/metrics").body();
        assertTrue(metrics.contains("relaymesh_auth_failure_total{kind=\"user\",reason=\"InvalidAPIKey\"}"), metrics);
    }
}
