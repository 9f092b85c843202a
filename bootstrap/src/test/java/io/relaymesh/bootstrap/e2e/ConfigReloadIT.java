package io.relaymesh.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.relaymesh.adapters.crypto.AesGcmTokenCodec;
import io.relaymesh.domain.port.TokenCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload of the built jar as an operator does it: edit the config file, then SIGHUP (or just
 * save it). Reloadable settings change under open sockets, a broken file is refused, and rotated
 * keys overlap.
 */
class ConfigReloadIT {
    private static final String NEW_GENERAL = "rotated-general-key-0123456789ab";
    private static final String NEW_USER_AES = "0123456789abcdef".repeat(4);

    @TempDir
    Path dir;

    private static String config(String general, String userAes, String overlap, String app) {
        return """
                server:
                  pod_id: "reload-pod"
                auth:
                  secret_token: "%s"
                  token_aes_key: "%s"
                  admin_secret_token: "%s"
                  admin_token_aes_key: "%s"
                  key_rotation_overlap_seconds: %s
                  ws_accepts_secret_token: true  # these clients send the server key, as seed clients do
                app:
                %s
                """.formatted(general, userAes, GatewayHarness.ADMIN_KEY, GatewayHarness.ADMIN_AES, overlap,
                app.indent(2).stripTrailing());
    }

    private static String rates(int perSecond, int burst) {
        return "client_max_messages_per_second: " + perSecond + "\nclient_message_burst: " + burst;
    }

    /** The jar, with the keys in the file (an environment variable would win over the file). */
    private JarProcess start(Path file) throws Exception {
        int port = JarProcess.freePort();
        return JarProcess.start(port, Map.of("RELAYMESH_SERVER_HTTP_PORT", String.valueOf(port),
                "RELAYMESH_SERVER_HOST", "127.0.0.1"), 0, "--config", file.toString()).awaitUp();
    }

    @Test
    void sighup_appliesANewRateLimit_withoutClosingAnOpenSocket() throws Exception {
        Path file = Files.writeString(dir.resolve("relaymesh.yaml"),
                config(GatewayHarness.GENERAL_KEY, GatewayHarness.USER_AES, "3600", rates(50, 50)));
        try (JarProcess jar = start(file);
             WsClient open = connect(jar, token(jar, GatewayHarness.GENERAL_KEY, "alice"),
                     GatewayHarness.GENERAL_KEY)) {
            open.expectReady();

            Files.writeString(file, config(GatewayHarness.GENERAL_KEY, GatewayHarness.USER_AES, "3600", rates(1, 2)));
            jar.hangUp();

            awaitOutput(jar, "config reload (SIGHUP)");
            awaitOutput(jar, "app.client_max_messages_per_second: 50 → 1");
            awaitOutput(jar, "app.client_message_burst: 50 → 2");
            awaitReloads(jar, "applied", 1.0);
            // The socket opened before the reload is still there, and served.
            assertFalse(open.isClosed());
            open.send("{\"type\":\"ping\"}");
            assertEquals("pong", open.next().path("type").asText());
            publish(jar, "evt-after-reload");
            assertEquals("evt-after-reload", open.next().path("payload").path("event_id").asText());
            // The new limit is in force: a burst of 2, then RateLimitExceeded.
            try (WsClient fast = connect(jar, token(jar, GatewayHarness.GENERAL_KEY, "bob"),
                    GatewayHarness.GENERAL_KEY)) {
                fast.expectReady();
                for (int i = 0; i < 5 && !fast.isClosed(); i++) {
                    try {
                        fast.send("{\"type\":\"ping\"}");
                    } catch (RuntimeException closedMeanwhile) {
                        break;
                    }
                }
                assertEquals("pong", fast.next().path("type").asText());
                assertEquals("pong", fast.next().path("type").asText());
                fast.expectErrorAndClose("RateLimitExceeded", 4429);
            }
            assertFalse(open.isClosed(), "the reload must not close sockets");
        }
    }

    @Test
    void brokenFile_isRefused_andTheRunningConfigurationStays() throws Exception {
        Path file = Files.writeString(dir.resolve("relaymesh.yaml"),
                config(GatewayHarness.GENERAL_KEY, GatewayHarness.USER_AES, "3600", rates(50, 50)));
        try (JarProcess jar = start(file);
             WsClient open = connect(jar, token(jar, GatewayHarness.GENERAL_KEY, "alice"),
                     GatewayHarness.GENERAL_KEY)) {
            open.expectReady();

            Files.writeString(file, config(GatewayHarness.GENERAL_KEY, GatewayHarness.USER_AES, "3600",
                    "client_max_messages_per_second: -1\nclient_burst: 3"));
            jar.hangUp();

            awaitOutput(jar, "config reload (SIGHUP) rejected");
            awaitOutput(jar, "app.client_max_messages_per_second: -1 must be positive");
            awaitOutput(jar, "unknown key app.client_burst");
            GatewayHarness.eventually(Duration.ofSeconds(5), "a rejected reload counted",
                    () -> reloads(jar, "rejected") >= 1.0);
            assertEquals(0.0, reloads(jar, "applied"));
            assertEquals(200, jar.health());
            // The old limit (a burst of 50) still holds, and the open socket is served.
            for (int i = 0; i < 10; i++) {
                open.send("{\"type\":\"ping\"}");
            }
            for (int i = 0; i < 10; i++) {
                assertEquals("pong", open.next().path("type").asText());
            }
            assertFalse(open.isClosed());
        }
    }

    @Test
    void startedUnderNohup_saysThatSighupCannotReload_survivesIt_andStillReloadsOnAFileChange() throws Exception {
        Path file = Files.writeString(dir.resolve("relaymesh.yaml"),
                config(GatewayHarness.GENERAL_KEY, GatewayHarness.USER_AES, "3600", "websocket_message_buffer_size: 100"));
        int port = JarProcess.freePort();
        try (JarProcess jar = JarProcess.startUnderNohup(port, Map.of("RELAYMESH_SERVER_HTTP_PORT", String.valueOf(port),
                "RELAYMESH_SERVER_HOST", "127.0.0.1"), "--config", file.toString()).awaitUp()) {
            // Without the warning an operator's kill -HUP would change nothing, and nothing would say so.
            awaitOutput(jar, "SIGHUP is ignored in this process");
            awaitOutput(jar, "a change of the config file still does");

            jar.hangUp();
            Thread.sleep(500);
            assertEquals(200, jar.health(), "the ignored SIGHUP neither stops the process nor breaks it");
            assertFalse(jar.output().contains("config reload (SIGHUP)"));

            Files.writeString(file, config(GatewayHarness.GENERAL_KEY, GatewayHarness.USER_AES, "3600",
                    "websocket_message_buffer_size: 5"));
            awaitOutput(jar, "config reload (file change)");
            awaitOutput(jar, "app.websocket_message_buffer_size: 100 → 5");
        }
    }

    @Test
    void savingTheFile_isPickedUpWithoutSighup() throws Exception {
        Path file = Files.writeString(dir.resolve("relaymesh.yaml"),
                config(GatewayHarness.GENERAL_KEY, GatewayHarness.USER_AES, "3600", "websocket_message_buffer_size: 100"));
        try (JarProcess jar = start(file);
             WsClient open = connect(jar, token(jar, GatewayHarness.GENERAL_KEY, "alice"),
                     GatewayHarness.GENERAL_KEY)) {
            open.expectReady();

            Files.writeString(file, config(GatewayHarness.GENERAL_KEY, GatewayHarness.USER_AES, "3600",
                    "websocket_message_buffer_size: 5"));

            awaitOutput(jar, "config reload (file change)");
            awaitOutput(jar, "app.websocket_message_buffer_size: 100 → 5");
            awaitReloads(jar, "applied", 1.0);
            assertFalse(jar.output().contains("config reload (SIGHUP)"));
            publish(jar, "evt-after-save");
            assertEquals("evt-after-save", open.next().path("payload").path("event_id").asText());
        }
    }

    @Test
    void rotatedKeys_oldTokensAndApiKeyWorkDuringTheOverlap_newTokensUseTheNewKey_thenOldOnesAreRefused()
            throws Exception {
        Path file = Files.writeString(dir.resolve("relaymesh.yaml"),
                config(GatewayHarness.GENERAL_KEY, GatewayHarness.USER_AES, "3", rates(20, 40)));
        try (JarProcess jar = start(file)) {
            String oldToken = token(jar, GatewayHarness.GENERAL_KEY, "alice");
            try (WsClient before = connect(jar, token(jar, GatewayHarness.GENERAL_KEY, "carol"),
                    GatewayHarness.GENERAL_KEY)) {
                before.expectReady();

                Files.writeString(file, config(NEW_GENERAL, NEW_USER_AES, "3", rates(20, 40)));
                jar.hangUp();
                awaitOutput(jar, "auth.token_aes_key: 00…(64 chars) → 01…(64 chars)"
                        + " (the previous value stays accepted for 3 s)");

                // During the overlap: the old token, with the old API key and with the new one.
                try (WsClient oldKey = connect(jar, oldToken, GatewayHarness.GENERAL_KEY)) {
                    oldKey.expectReady();
                }
                try (WsClient newKey = connect(jar, oldToken, NEW_GENERAL)) {
                    newKey.expectReady();
                }
                // New tokens are sealed with the new key.
                String newToken = token(jar, NEW_GENERAL, "alice");
                assertTrue(new AesGcmTokenCodec(NEW_USER_AES, GatewayHarness.ADMIN_AES).decodeUser(newToken)
                        instanceof TokenCodec.Decoded.Valid);
                assertTrue(new AesGcmTokenCodec(GatewayHarness.USER_AES, GatewayHarness.ADMIN_AES)
                        .decodeUser(newToken) instanceof TokenCodec.Decoded.Invalid);

                // After the overlap: the old token and the old API key are refused.
                awaitOutput(jar, "key rotation: the previous auth.token_aes_key 00…(64 chars) is no longer accepted");
                awaitOutput(jar, "key rotation: the previous auth.secret_token ge…(32 chars) is no longer accepted");
                try (WsClient stale = connect(jar, oldToken, NEW_GENERAL)) {
                    stale.expectErrorAndClose("InvalidToken", 4403);
                }
                try (WsClient staleKey = connect(jar, newToken, GatewayHarness.GENERAL_KEY)) {
                    staleKey.expectErrorAndClose("InvalidAPIKey", 4401);
                }
                try (WsClient fresh = connect(jar, newToken, NEW_GENERAL)) {
                    fresh.expectReady();
                }
                // A socket opened before the rotation is never cut by it.
                assertFalse(before.isClosed());
                before.send("{\"type\":\"ping\"}");
                assertEquals("pong", before.next().path("type").asText());
                assertFalse(jar.output().contains(NEW_GENERAL) || jar.output().contains(NEW_USER_AES),
                        "a key must never be logged");
            }
        }
    }

    private static void awaitOutput(JarProcess jar, String text) {
        GatewayHarness.eventually(Duration.ofSeconds(10), "output containing \"" + text + "\":\n" + jar.tail(30),
                () -> jar.output().contains(text));
    }

    private static void awaitReloads(JarProcess jar, String result, double count) {
        GatewayHarness.eventually(Duration.ofSeconds(5), "config_reloads_total{result=" + result + "} " + count,
                () -> reloads(jar, result) == count);
    }

    static double reloads(JarProcess jar, String result) {
        Matcher m = Pattern.compile("relaymesh_config_reloads_total\\{result=\"" + result + "\"} (\\S+)")
                .matcher(jar.get("/metrics"));
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static WsClient connect(JarProcess jar, String token, String apiKey) {
        return WsClient.connect(URI.create("ws://127.0.0.1:" + jar.port + "/ws/acme/support?token="
                + GatewayHarness.q(token) + "&x-api-key=" + GatewayHarness.q(apiKey)));
    }

    private static String token(JarProcess jar, String apiKey, String user) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + jar.port + "/generate-token"))
                .header("X-API-Key", apiKey).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"company_id\":\"acme\",\"agent_id\":\"support\",\"user_id\":\"" + user + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return GatewayHarness.json(response.body()).path("token").asText();
    }

    private static void publish(JarProcess jar, String eventId) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + jar.port + "/api/v1/publish"))
                .header("X-API-Key", GatewayHarness.ADMIN_KEY).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString("{\"subject\":\"websocket.acme.support.chats\","
                        + "\"payload\":{\"event_id\":\"" + eventId + "\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = GatewayHarness.json(response.body());
        assertEquals(eventId, body.path("event_id").asText());
    }
}
