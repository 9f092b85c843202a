package io.relaymesh.bootstrap.e2e;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Issue 15: with {@code dialects.topics.enabled: false} the dialect contributes nothing. */
class TopicsDisabledIT {

    @Test
    void aDisabledTopicsDialect_servesNoPathNoFirstFrameAndNoRoute() {
        try (GatewayHarness gateway = GatewayHarness.start(Map.of("RELAYMESH_DIALECTS_TOPICS_ENABLED", "false",
                "RELAYMESH_AUTH_JWT_SECRET", JwtTokens.SECRET))) {
            HttpResponse<String> publish = gateway.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + gateway.port() + "/api/v1/messages"))
                    .header("Authorization", "Bearer " + GatewayHarness.ADMIN_KEY)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"topic\":\"t\",\"payload\":{}}")).build());
            assertEquals(404, publish.statusCode(), publish.body());
            assertEquals(404, gateway.get("/api/v1/poll?topics=t").statusCode());
            assertThrows(RuntimeException.class, () -> WsClient.connect(gateway.ws("/topics/ws?token="
                    + TopicsHttp.jwt("u"))).close(), "no /topics/ws");
            JsonCheck.noSubscribeOnTheSharedPath(gateway);
            assertEquals(400, gateway.post("/api/v1/publish", GatewayHarness.ADMIN_KEY,
                    "{\"subject\":\"topics.t\",\"payload\":{}}").statusCode(), "no topics.{topic} subject");
        }
    }

    /** The shared /ws (served only when some dialect owns a first frame) takes no subscribe. */
    private static final class JsonCheck {
        static void noSubscribeOnTheSharedPath(GatewayHarness gateway) {
            WsClient ws;
            try {
                ws = WsClient.connect(gateway.ws("/ws?token=" + TopicsHttp.jwt("u")));
            } catch (RuntimeException noSharedPath) {
                return;
            }
            try (ws) {
                ws.send("{\"type\":\"subscribe\",\"topics\":[\"t\"]}");
                assertEquals("error", ws.next(Duration.ofSeconds(10)).path("type").asText());
                assertEquals(4400, ws.awaitClose(Duration.ofSeconds(10)).code());
            }
        }
    }
}
