package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static io.relaymesh.bootstrap.e2e.GatewayHarness.ADMIN_KEY;
import static io.relaymesh.bootstrap.e2e.GatewayHarness.GENERAL_KEY;
import static io.relaymesh.bootstrap.e2e.GatewayHarness.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The critical finding of the security issue, as attacks on the real jar: a browser's key minting
 * tokens for another tenant, the server key on a socket URL, a page on a foreign origin opening a
 * socket, and a user selecting a chat the token does not allow. The jar runs with the safe
 * defaults plus client keys and an origin list; one test starts a seed-compatible jar.
 */
class KeySeparationIT {
    static final String CLIENT_KEY = "client-key-0123456789abcdefghij";
    static final String ADMIN_CLIENT_KEY = "admin-client-key-0123456789abcdef";
    static final String ALLOWED_ORIGIN = "https://app.example.com";

    private static JarProcess jar;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        int port = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(JarProcess.safeEnv(port));
        env.put("RELAYMESH_AUTH_CLIENT_API_KEY", CLIENT_KEY);
        env.put("RELAYMESH_AUTH_ADMIN_CLIENT_API_KEY", ADMIN_CLIENT_KEY);
        env.put("RELAYMESH_SERVER_ALLOWED_ORIGINS", ALLOWED_ORIGIN + ",http://localhost:3000");
        jar = JarProcess.start(port, env, 0).awaitUp();
    }

    @AfterAll
    static void stop() throws IOException, InterruptedException {
        if (jar != null) {
            jar.close();
        }
    }

    @Test
    void clientKey_cannotMintATokenForAnotherTenant_norPublish_norCallTheAdminApi() {
        // The attack of the issue: the key a browser holds, used to mint a token for a victim elsewhere.
        HttpResponse<String> mint = post("/generate-token", CLIENT_KEY,
                "{\"company_id\":\"globex\",\"agent_id\":\"sales\",\"user_id\":\"victim\"}");
        assertEquals(403, mint.statusCode(), mint.body());
        JsonNode error = json(mint.body()).path("error");
        assertEquals("InvalidAPIKey", error.path("code").asText(), mint.body());
        assertTrue(error.path("message").asText().contains("public client key"), mint.body());
        assertFalse(mint.body().contains("token\":"), mint.body());

        for (String key : new String[]{CLIENT_KEY, ADMIN_CLIENT_KEY}) {
            assertEquals(403, post("/admin/generate-token", key, "{\"admin_id\":\"evil\"}").statusCode());
            assertEquals(403, post("/api/v1/publish", key,
                    "{\"subject\":\"websocket.globex.sales.chats\",\"payload\":{\"type\":\"error\"}}").statusCode());
            assertEquals(403, send(HttpRequest.newBuilder(uri("/admin/api/sessions")).header("X-API-Key", key)
                    .GET()).statusCode());
        }
        assertEquals(200, post("/generate-token", GENERAL_KEY,
                "{\"company_id\":\"globex\",\"agent_id\":\"sales\",\"user_id\":\"u1\"}").statusCode());
    }

    @Test
    void serverKeyOnASocketUrlOrHeader_isRefusedWith4401_namingTheSetting() {
        String token = userToken("acme", "keys", "alice", null);
        try (WsClient c = WsClient.connect(ws("/ws/acme/keys?token=" + q(token) + "&x-api-key=" + q(GENERAL_KEY)))) {
            JsonNode error = c.expectErrorAndClose("InvalidAPIKey", 4401);
            assertTrue(error.path("payload").path("message").asText().contains("auth.secret_token"), error.toString());
        }
        try (WsClient c = WsClient.connectWithHeader(ws("/ws/acme/keys?token=" + q(token)), GENERAL_KEY)) {
            c.expectErrorAndClose("InvalidAPIKey", 4401);
        }
        try (WsClient c = WsClient.connect(ws("/ws/admin?token=" + q(adminToken()) + "&x-api-key=" + q(ADMIN_KEY)))) {
            JsonNode error = c.expectErrorAndClose("InvalidAPIKey", 4401);
            assertTrue(error.path("payload").path("message").asText().contains("auth.admin_secret_token"),
                    error.toString());
        }
        String metrics = jar.get("/metrics");
        assertTrue(metrics.contains("relaymesh_ws_server_key_total{kind=\"user\",outcome=\"refused\"} 2.0"), metrics);
        assertTrue(metrics.contains("relaymesh_ws_server_key_total{kind=\"admin\",outcome=\"refused\"} 1.0"), metrics);
    }

    @Test
    void clientKeys_openTheirSockets_andAreRequiredOnceConfigured() {
        try (WsClient c = WsClient.connect(ws("/ws/acme/keys?token=" + q(userToken("acme", "keys", "bob", null))
                + "&x-api-key=" + q(CLIENT_KEY)))) {
            c.expectReady();
        }
        try (WsClient c = WsClient.connect(ws("/ws/admin?token=" + q(adminToken()) + "&x-api-key="
                + q(ADMIN_CLIENT_KEY)))) {
            c.expectReady();
        }
        try (WsClient c = WsClient.connect(ws("/ws/acme/keys?token=" + q(userToken("acme", "keys", "carol", null))))) {
            c.expectErrorAndClose("InvalidAPIKey", 4401);
        }
        // The user client key does not open admin sockets.
        try (WsClient c = WsClient.connect(ws("/ws/admin?token=" + q(adminToken()) + "&x-api-key=" + q(CLIENT_KEY)))) {
            c.expectErrorAndClose("InvalidAPIKey", 4401);
        }
    }

    @Test
    void foreignOrigin_isRefusedWith403BeforeTheUpgrade_listedOriginAndNoOriginAreUpgraded() throws IOException {
        String path = "/ws/acme/keys?token=" + q(userToken("acme", "keys", "dave", null)) + "&x-api-key="
                + q(CLIENT_KEY);
        String refused = upgrade(path, "https://evil.example");
        assertTrue(refused.startsWith("HTTP/1.1 403"), refused);
        assertTrue(refused.contains("\"OriginNotAllowed\"") && refused.contains("server.allowed_origins"), refused);
        String refusedAdmin = upgrade("/ws/admin?token=x", "http://rebind.attacker.example:8080");
        assertTrue(refusedAdmin.startsWith("HTTP/1.1 403"), refusedAdmin);

        assertTrue(upgrade(path, ALLOWED_ORIGIN).startsWith("HTTP/1.1 101"));
        assertTrue(upgrade("/ws/acme/keys?token=" + q(userToken("acme", "keys", "erin", null)) + "&x-api-key="
                + q(CLIENT_KEY), "HTTPS://APP.EXAMPLE.COM").startsWith("HTTP/1.1 101"), "origins compare case-insensitively");
        assertTrue(upgrade("/ws/acme/keys?token=" + q(userToken("acme", "keys", "fay", null)) + "&x-api-key="
                + q(CLIENT_KEY), null).startsWith("HTTP/1.1 101"), "a client without Origin is not a browser");

        String metrics = jar.get("/metrics");
        assertTrue(metrics.contains("relaymesh_ws_origin_refused_total{kind=\"user\"} 1.0"), metrics);
        assertTrue(metrics.contains("relaymesh_ws_origin_refused_total{kind=\"admin\"} 1.0"), metrics);
    }

    @Test
    void selectChatOutsideAllowedChatIds_isRefused_andItsMessagesNeverArrive() {
        String token = userToken("acme", "chats", "gina", "[\"c1\"]");
        try (WsClient c = WsClient.connect(ws("/ws/acme/chats?token=" + q(token) + "&x-api-key=" + q(CLIENT_KEY)))) {
            c.expectReady();
            c.send("{\"type\":\"select_chat\",\"payload\":{\"chat_id\":\"c2\"}}");
            JsonNode error = c.next();
            assertEquals("error", error.path("type").asText(), error.toString());
            assertEquals("ChatNotAllowed", error.path("payload").path("code").asText(), error.toString());
            assertTrue(error.path("payload").path("message").asText().contains("c2"), error.toString());

            publish("websocket.acme.chats.messages.c2", "{\"event_id\":\"secret-c2\",\"text\":\"not for gina\"}");
            c.send("{\"type\":\"select_chat\",\"payload\":{\"chat_id\":\"c1\"}}");
            c.send("{\"type\":\"ping\"}"); // frames are handled in order: after the pong, c1 is selected
            assertEquals("pong", c.next().path("type").asText());
            publish("websocket.acme.chats.messages.c1", "{\"event_id\":\"ok-c1\",\"text\":\"for gina\"}");
            JsonNode event = c.next();
            assertEquals("ok-c1", event.path("payload").path("event_id").asText(), event.toString());
            c.send("{\"type\":\"ping\"}");
            JsonNode after = c.next();
            assertEquals("pong", after.path("type").asText(), "nothing else arrived: " + after);
        }
        HttpResponse<String> empty = post("/generate-token", GENERAL_KEY,
                "{\"company_id\":\"acme\",\"agent_id\":\"chats\",\"user_id\":\"h\",\"allowed_chat_ids\":[]}");
        assertEquals(400, empty.statusCode(), empty.body());
        assertEquals("allowed_chat_ids", json(empty.body()).path("error").path("field").asText(), empty.body());
    }

    @Test
    void serverKeyOnASocket_isAccepted_whenWsAcceptsSecretToken_withAWarningAtStart() throws Exception {
        int port = JarProcess.freePort();
        try (JarProcess seed = JarProcess.start(port, JarProcess.keyedEnv(port), 0).awaitUp()) {
            String token = token(port, "{\"company_id\":\"acme\",\"agent_id\":\"seed\",\"user_id\":\"old\"}");
            try (WsClient c = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/acme/seed?token=" + q(token)
                    + "&x-api-key=" + q(GENERAL_KEY)))) {
                c.expectReady();
            }
            assertTrue(seed.output().lines().anyMatch(l -> l.contains("WARN") && l.contains("ws_accepts_secret_token")),
                    seed.output());
            assertTrue(seed.get("/metrics").contains(
                    "relaymesh_ws_server_key_total{kind=\"user\",outcome=\"accepted\"} 1.0"));
        }
        assertFalse(jar.output().contains("ws_accepts_secret_token is true"), "the safe jar does not warn");
    }

    // --- helpers ---

    private static String userToken(String company, String agent, String user, String allowedChats) {
        return token(jar.port, "{\"company_id\":\"" + company + "\",\"agent_id\":\"" + agent + "\",\"user_id\":\""
                + user + "\"" + (allowedChats == null ? "" : ",\"allowed_chat_ids\":" + allowedChats) + "}");
    }

    private static String token(int port, String body) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/generate-token")).header("X-API-Key", GENERAL_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(200, response.statusCode(), response.body());
        return json(response.body()).path("token").asText();
    }

    private static String adminToken() {
        HttpResponse<String> response = post("/admin/generate-token", ADMIN_KEY, "{\"admin_id\":\"ops\"}");
        assertEquals(200, response.statusCode(), response.body());
        return json(response.body()).path("token").asText();
    }

    private static void publish(String subject, String payload) {
        HttpResponse<String> response = post("/api/v1/publish", ADMIN_KEY,
                "{\"subject\":\"" + subject + "\",\"payload\":" + payload + "}");
        assertEquals(200, response.statusCode(), response.body());
    }

    private static HttpResponse<String> post(String path, String key, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("X-API-Key", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("request failed", e);
        }
    }

    /**
     * A hand-written upgrade request (java.net.http cannot show a refused upgrade's status and body):
     * the status line and, for a refusal, the body; at most 4 KiB, within 10 s.
     */
    private static String upgrade(String pathAndQuery, String origin) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", jar.port), 5000);
            socket.setSoTimeout(10_000);
            String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + jar.port + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[1024];
            while (read.size() < 4096) {
                String sofar = read.toString(StandardCharsets.UTF_8);
                if (sofar.startsWith("HTTP/1.1 101") && sofar.contains("\r\n\r\n")) {
                    break;
                }
                if (sofar.contains("\r\n\r\n") && sofar.contains("}")) {
                    break;
                }
                int n;
                try {
                    n = in.read(buffer);
                } catch (java.net.SocketTimeoutException e) {
                    break;
                }
                if (n < 0) {
                    break;
                }
                read.write(buffer, 0, n);
            }
            return read.toString(StandardCharsets.UTF_8);
        }
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + jar.port + path);
    }

    private static URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + jar.port + path);
    }

    private static JsonNode json(String body) {
        try {
            return WsClient.JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
