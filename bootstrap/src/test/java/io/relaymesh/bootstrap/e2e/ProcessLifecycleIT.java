package io.relaymesh.bootstrap.e2e;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The distribution as an operator runs it: start-up checks, the printed tour, SIGTERM. */
class ProcessLifecycleIT {

    @Test
    void sigterm_closesSocketsWith1001_andExitsWithinTenSeconds() throws Exception {
        int port = JarProcess.freePort();
        try (JarProcess jar = JarProcess.start(port, JarProcess.keyedEnv(port), 0).awaitUp()) {
            String token = token(port, GatewayHarness.GENERAL_KEY);
            try (WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/acme/term?token="
                    + GatewayHarness.q(token) + "&x-api-key=" + GatewayHarness.q(GatewayHarness.GENERAL_KEY)))) {
                client.expectReady();
                long start = System.nanoTime();
                jar.process.destroy(); // SIGTERM
                assertEquals(1001, client.awaitClose(Duration.ofSeconds(10)).code());
                int code = jar.awaitExit(Duration.ofSeconds(10));
                long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertTrue(millis < 10_000, "exit took " + millis + " ms");
                assertEquals(143, code, "SIGTERM exit status (128 + 15):\n" + jar.tail(20));
                assertTrue(jar.output().contains("stopped in"), jar.tail(20));
            }
        }
    }

    @Test
    void malformedSettings_stopStartUp_namingEachKey() throws Exception {
        int port = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(JarProcess.keyedEnv(port));
        env.put("RELAYMESH_SERVER_HTTP_PORT", "70000");
        env.put("RELAYMESH_AUTH_TOKEN_AES_KEY", "abc123");
        try (JarProcess jar = JarProcess.start(port, env, 0)) {
            assertEquals(2, jar.awaitExit(Duration.ofSeconds(20)));
            String output = jar.output();
            assertTrue(output.contains("server.http_port: 70000 is out of range"), output);
            assertTrue(output.contains("auth.token_aes_key: must be 64 hex characters"), output);
            assertFalse(output.contains("abc123"), "a secret must never be printed:\n" + output);
            assertFalse(output.contains("Exception"), "no stack trace:\n" + output);
        }
    }

    @Test
    void unknownArgument_isRefusedWithUsage() throws Exception {
        int port = JarProcess.freePort();
        try (JarProcess jar = JarProcess.start(port, JarProcess.keyedEnv(port), 0, "--cofnig", "x.yaml")) {
            assertEquals(2, jar.awaitExit(Duration.ofSeconds(20)));
            assertTrue(jar.output().contains("usage: relaymesh [--config FILE]"), jar.output());
        }
    }

    @Test
    void standaloneWithoutKeys_generatesThem_andThePrintedTourWorks() throws Exception {
        int port = JarProcess.freePort();
        Map<String, String> env = Map.of("RELAYMESH_SERVER_HTTP_PORT", String.valueOf(port),
                "RELAYMESH_SERVER_HOST", "127.0.0.1");
        try (JarProcess jar = JarProcess.start(port, env, 0, "--config", "../config/standalone.yaml").awaitUp()) {
            // The tour is printed once start-up has finished, a moment after /health first answers.
            GatewayHarness.eventually(Duration.ofSeconds(10), "tour printed:\n" + jar.output(),
                    () -> jar.output().contains("\"text\":\"hello\"}}'"));
            String output = jar.output();
            String general = exported(output, "RELAYMESH_AUTH_SECRET_TOKEN");
            String admin = exported(output, "RELAYMESH_AUTH_ADMIN_SECRET_TOKEN");
            assertTrue(output.contains("-H 'X-API-Key: " + general + "'"), output);
            assertTrue(output.contains("ws://localhost:" + port + "/ws/acme/support?token=$TOKEN&x-api-key=" + general),
                    output);
            String token = token(port, general);
            try (WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/acme/support?token="
                    + GatewayHarness.q(token) + "&x-api-key=" + GatewayHarness.q(general)))) {
                client.expectReady();
                HttpResponse<String> published = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/api/v1/publish"))
                        .header("X-API-Key", admin).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"subject\":\"websocket.acme.support.chats\",\"payload\":{\"event_id\":\"evt-1\"}}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, published.statusCode(), published.body());
                assertEquals("evt-1", client.next().path("payload").path("event_id").asText());
            }
        }
    }

    @Test
    void sighup_reloadsTheConfiguration_andDoesNotStopTheServer() throws Exception {
        int port = JarProcess.freePort();
        try (JarProcess jar = JarProcess.start(port, JarProcess.keyedEnv(port), 0).awaitUp()) {
            jar.hangUp();
            GatewayHarness.eventually(Duration.ofSeconds(5), "reload logged:\n" + jar.output(),
                    () -> jar.output().contains("config reload (SIGHUP) (environment only): no changes"));
            assertTrue(jar.process.isAlive(), jar.tail(10));
            assertEquals(200, jar.health());
            GatewayHarness.eventually(Duration.ofSeconds(5), "reload counted as unchanged",
                    () -> jar.get("/metrics").contains("relaymesh_config_reloads_total{result=\"unchanged\"} 1.0"));
        }
    }

    @Test
    void portInUse_stopsStartUpWithExitCode1_andSaysWhy() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            try (JarProcess jar = JarProcess.start(port, JarProcess.keyedEnv(port), 0)) {
                assertEquals(1, jar.awaitExit(Duration.ofSeconds(20)), jar.output());
                assertTrue(jar.output().contains("could not listen on 127.0.0.1:" + port), jar.output());
            }
        }
    }

    private static String exported(String output, String name) {
        Matcher m = Pattern.compile("export " + name + "=(\\S+)").matcher(output);
        assertTrue(m.find(), name + " not printed:\n" + output);
        return m.group(1);
    }

    private static String token(int port, String apiKey) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/generate-token"))
                .header("X-API-Key", apiKey).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"company_id\":\"acme\",\"agent_id\":\"" + (apiKey.equals(GatewayHarness.GENERAL_KEY)
                                ? "term" : "support") + "\",\"user_id\":\"alice\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return GatewayHarness.json(response.body()).path("token").asText();
    }
}
