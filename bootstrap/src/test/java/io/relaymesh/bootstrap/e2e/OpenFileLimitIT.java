package io.relaymesh.bootstrap.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Helidon's listener dies for good when accept() hits the open-file limit. The built jar, run
 * under a low limit and flooded with connections, must refuse the excess with ServerFull/1013 and
 * stay healthy, even when server.max_connections is set above what the limit allows.
 */
class OpenFileLimitIT {
    private static final int FILE_LIMIT = 320;
    private static final int CLIENTS = 160;

    @Test
    void floodAboveTheFileLimit_isRefusedWithServerFull_andTheListenerSurvives() throws Exception {
        String jar = System.getProperty("relaymesh.jar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)), "the built jar is needed: " + jar);
        int port = freePort();
        Path log = Files.createTempFile("relaymesh-fd", ".log");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "ulimit -n " + FILE_LIMIT + " && exec \""
                + Path.of(System.getProperty("java.home"), "bin", "java") + "\" -Xmx256m -jar \"" + jar + "\"");
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("RELAYMESH_"));
        env.put("RELAYMESH_SERVER_HTTP_PORT", String.valueOf(port));
        env.put("RELAYMESH_SERVER_HOST", "127.0.0.1");
        env.put("RELAYMESH_SERVER_MAX_CONNECTIONS", "5000");
        env.put("RELAYMESH_AUTH_SECRET_TOKEN", GatewayHarness.GENERAL_KEY);
        env.put("RELAYMESH_AUTH_ADMIN_SECRET_TOKEN", GatewayHarness.ADMIN_KEY);
        env.put("RELAYMESH_AUTH_TOKEN_AES_KEY", GatewayHarness.USER_AES);
        env.put("RELAYMESH_AUTH_ADMIN_TOKEN_AES_KEY", GatewayHarness.ADMIN_AES);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = pb.start();
        List<RawWsClient> clients = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        try {
            GatewayHarness.eventually(Duration.ofSeconds(20), "server up", () -> health(http, port) == 200);
            String token = token(http, port);
            String path = "/ws/acme/flood?token=" + GatewayHarness.q(token) + "&x-api-key="
                    + GatewayHarness.q(GatewayHarness.GENERAL_KEY);
            int ready = 0;
            int refused = 0;
            for (int i = 0; i < CLIENTS; i++) {
                String first;
                try {
                    RawWsClient client = new RawWsClient("127.0.0.1", port, path);
                    clients.add(client);
                    first = client.readText();
                } catch (IOException e) {
                    throw new AssertionError("connection " + i + " failed after " + ready + " ready and " + refused
                            + " refused: " + e + "\n" + tail(log), e);
                }
                if (first.contains("\"ready\"")) {
                    ready++;
                    path = "/ws/acme/flood?token=" + GatewayHarness.q(token(http, port)) + "&x-api-key="
                            + GatewayHarness.q(GatewayHarness.GENERAL_KEY);
                } else {
                    assertTrue(first.contains("ServerFull"), first);
                    refused++;
                }
            }
            String output = Files.readString(log);
            assertTrue(ready > 10, "some connections must be served: " + ready);
            assertTrue(refused > 0, "the excess must be refused with ServerFull");
            assertTrue(output.contains("clamped"), "the over-large max_connections must be reported:\n" + output);
            assertTrue(process.isAlive(), "the process must survive:\n" + output);
            assertEquals(200, health(http, port), "the listener must still accept:\n" + output);
            assertTrue(!output.contains("terminating"), "Helidon's listener died:\n" + output);
        } finally {
            for (RawWsClient client : clients) {
                client.close();
            }
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(log);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static int health(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private static int counter;

    private static String token(HttpClient http, int port) throws Exception {
        String body = "{\"company_id\":\"acme\",\"agent_id\":\"flood\",\"user_id\":\"u" + (counter++) + "\"}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/generate-token"))
                .header("X-API-Key", GatewayHarness.GENERAL_KEY).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return GatewayHarness.json(response.body()).path("token").asText();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
