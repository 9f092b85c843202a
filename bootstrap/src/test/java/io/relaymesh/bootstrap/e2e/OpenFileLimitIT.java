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
        int port = JarProcess.freePort();
        Map<String, String> env = new java.util.HashMap<>(JarProcess.keyedEnv(port));
        env.put("RELAYMESH_SERVER_MAX_CONNECTIONS", "5000");
        // The flood comes from one address (loopback) on purpose: this test is about the file
        // limit, so the per-IP caps, which would refuse it first, are off.
        env.put("RELAYMESH_SERVER_MAX_CONNECTIONS_PER_IP", "0");
        env.put("RELAYMESH_SERVER_UPGRADES_PER_IP_PER_SECOND", "0");
        env.put("RELAYMESH_SERVER_REQUESTS_PER_IP_PER_SECOND", "0");
        JarProcess jar = JarProcess.start(port, env, FILE_LIMIT).awaitUp();
        Process process = jar.process;
        List<RawWsClient> clients = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        try {
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
                            + " refused: " + e + "\n" + jar.tail(30), e);
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
            String output = jar.output();
            assertTrue(ready > 10, "some connections must be served: " + ready);
            assertTrue(refused > 0, "the excess must be refused with ServerFull");
            assertTrue(output.contains("clamped"), "the over-large max_connections must be reported:\n" + output);
            assertTrue(process.isAlive(), "the process must survive:\n" + output);
            assertEquals(200, jar.health(), "the listener must still accept:\n" + output);
            assertTrue(!output.contains("terminating"), "Helidon's listener died:\n" + output);
        } finally {
            for (RawWsClient client : clients) {
                client.close();
            }
            jar.close();
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

}
