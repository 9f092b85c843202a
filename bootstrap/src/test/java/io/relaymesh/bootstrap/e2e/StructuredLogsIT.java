package io.relaymesh.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar's log lines in {@code app.log_format: json}: one JSON object per line (parsed with
 * Jackson), each with {@code pod_id}, and the context of the work that logged it.
 */
class StructuredLogsIT {
    @TempDir
    Path dir;

    @Test
    void jsonLogLines_areJson_withPodId_andTheContextOfConnectionsPublishesAndRequests() throws Exception {
        Path file = Files.writeString(dir.resolve("relaymesh.yaml"), """
                server:
                  pod_id: "json-pod"
                auth:
                  secret_token: "%s"
                  token_aes_key: "%s"
                  admin_secret_token: "%s"
                  admin_token_aes_key: "%s"
                app:
                  log_format: "json"
                  log_level: "debug"
                """.formatted(GatewayHarness.GENERAL_KEY, GatewayHarness.USER_AES, GatewayHarness.ADMIN_KEY,
                GatewayHarness.ADMIN_AES));
        int port = JarProcess.freePort();
        try (JarProcess jar = JarProcess.startWithSeparateStderr(port, Map.of("RELAYMESH_SERVER_HTTP_PORT",
                String.valueOf(port), "RELAYMESH_SERVER_HOST", "127.0.0.1"), "--config", file.toString()).awaitUp()) {
            HttpClient http = HttpClient.newHttpClient();
            String token = userToken(http, port, "alice");
            // The safe default: no client key configured, so the token alone opens the socket.
            URI uri = URI.create("ws://127.0.0.1:" + port + "/ws/acme/support?token=" + GatewayHarness.q(token));
            try (WsClient first = WsClient.connect(uri)) {
                first.expectReady();
                // A second connection for the same user takes over: the application layer logs that
                // (through java.util.logging) on the thread handling the new connection.
                try (WsClient second = WsClient.connect(uri)) {
                    second.expectReady();
                    first.expectErrorAndClose("SessionConflict", 4402);

                    HttpResponse<String> published = http.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/api/v1/publish"))
                            .header("X-API-Key", GatewayHarness.ADMIN_KEY).header("X-Request-Id", "req-json-1")
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"subject\":\"websocket.acme.support.chats\","
                                    + "\"payload\":{\"event_id\":\"evt-json-1\"}}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, published.statusCode(), published.body());
                    assertEquals("req-json-1", published.headers().firstValue("X-Request-Id").orElse(null));
                    assertEquals("evt-json-1", second.next().path("payload").path("event_id").asText());
                }
            }
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            String generated = health.headers().firstValue("X-Request-Id").orElse("");
            assertTrue(generated.matches("[0-9a-f-]{36}"), "a request without an id gets one: " + generated);

            // The request line is written after the answer went out: wait for it as for the publish.
            GatewayHarness.eventually(Duration.ofSeconds(5), "the publish and the /health request logged:\n"
                    + jar.output(), () -> lines(jar).stream().anyMatch(l -> l.contains("evt-json-1"))
                    && lines(jar).stream().anyMatch(l -> l.contains(generated)));
            List<JsonNode> lines = parsed(jar);

            assertTrue(lines.size() > 5, "too few log lines: " + lines);
            for (JsonNode line : lines) {
                assertEquals("json-pod", line.path("pod_id").asText(), "pod_id on every line: " + line);
                assertTrue(line.hasNonNull("@timestamp") && line.hasNonNull("level") && line.hasNonNull("message"),
                        line.toString());
            }
            JsonNode connection = find(lines, "a line of the connection", l -> l.has("session_key")
                    && "alice".equals(l.path("user_id").asText()));
            assertEquals("acme", connection.path("company_id").asText(), connection.toString());
            assertEquals("support", connection.path("agent_id").asText(), connection.toString());
            assertTrue(connection.path("session_key").asText().contains("alice"), connection.toString());
            JsonNode takeover = find(lines, "the take-over logged by the application layer",
                    l -> l.path("message").asText().contains("replaced by a newer connection"));
            assertEquals("alice", takeover.path("user_id").asText(), takeover.toString());
            JsonNode publish = find(lines, "a line of the publish", l -> "evt-json-1".equals(l.path("event_id").asText()));
            assertEquals("agent:acme:support", publish.path("route_key").asText(), publish.toString());
            assertEquals("req-json-1", publish.path("request_id").asText(), publish.toString());
            JsonNode request = find(lines, "the request line", l -> "req-json-1".equals(l.path("request_id").asText())
                    && l.path("message").asText().startsWith("POST /api/v1/publish -> 200"));
            assertFalse(request.has("session_key"), "no connection context leaks into a request: " + request);
            assertTrue(lines.stream().anyMatch(l -> generated.equals(l.path("request_id").asText())),
                    "the generated id is logged too");
            assertFalse(jar.output().contains(GatewayHarness.GENERAL_KEY), "a key must never be logged");
        }
    }

    private static String userToken(HttpClient http, int port, String user) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/generate-token"))
                .header("X-API-Key", GatewayHarness.GENERAL_KEY).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"company_id\":\"acme\",\"agent_id\":\"support\",\"user_id\":\"" + user + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return GatewayHarness.json(response.body()).path("token").asText();
    }

    private static List<String> lines(JarProcess jar) {
        try {
            return Files.readAllLines(jar.errorLog).stream().filter(l -> !l.isBlank()).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every line of standard error, each of which must be one JSON object. */
    private static List<JsonNode> parsed(JarProcess jar) {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : lines(jar)) {
            try {
                JsonNode node = WsClient.JSON.readTree(line);
                assertTrue(node.isObject(), "not a JSON object: " + line);
                parsed.add(node);
            } catch (java.io.IOException e) {
                fail("log line is not JSON: " + line);
            }
        }
        return parsed;
    }

    private static JsonNode find(List<JsonNode> lines, String what, Predicate<JsonNode> test) {
        return lines.stream().filter(test).findFirst()
                .orElseThrow(() -> new AssertionError("no " + what + " among:\n" + lines));
    }
}
