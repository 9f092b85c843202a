package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.bootstrap.Relaymesh;
import io.relaymesh.bootstrap.config.ConfigLoader;
import io.relaymesh.bootstrap.config.LoadResult;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** A real gateway on a free port, configured through the same loader as Main, plus client helpers. */
final class GatewayHarness implements AutoCloseable {
    static final String GENERAL_KEY = "general-key-0123456789abcdefghij";
    static final String ADMIN_KEY = "admin-key-0123456789abcdefghijklm";
    static final String USER_AES = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    static final String ADMIN_AES = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
    /** Cluster pods authenticate each other's gRPC calls with it (standalone ignores it). */
    static final String CLUSTER_SECRET = "e2e-cluster-secret-0123456789abcdef0123";

    private final Relaymesh relaymesh;
    private final HttpClient http = HttpClient.newHttpClient();
    final AtomicInteger listenerDeaths = new AtomicInteger();

    private GatewayHarness(Map<String, String> overrides) {
        this(overrides, false);
    }

    /** @param echo with the test-only echo dialect (bootstrap's test EchoComponent) */
    private GatewayHarness(Map<String, String> overrides, boolean echo) {
        Map<String, String> env = new HashMap<>();
        env.put("RELAYMESH_SERVER_HTTP_PORT", "0");
        env.put("RELAYMESH_SERVER_HOST", "127.0.0.1");
        env.put("RELAYMESH_SERVER_POD_ID", "e2e-pod");
        env.put("RELAYMESH_AUTH_SECRET_TOKEN", GENERAL_KEY);
        env.put("RELAYMESH_AUTH_ADMIN_SECRET_TOKEN", ADMIN_KEY);
        env.put("RELAYMESH_AUTH_TOKEN_AES_KEY", USER_AES);
        env.put("RELAYMESH_AUTH_ADMIN_TOKEN_AES_KEY", ADMIN_AES);
        // These tests connect as seed clients do, with the server key on the socket URL.
        env.put("RELAYMESH_AUTH_WS_ACCEPTS_SECRET_TOKEN", "true");
        env.put("RELAYMESH_SERVER_CLUSTER_SECRET", CLUSTER_SECRET);
        // The dialects' standalone stores are files: each gateway gets its own, never one in the working folder.
        try {
            env.put("RELAYMESH_DIALECTS_TOPICS_STORE_PATH",
                    java.nio.file.Files.createTempDirectory("relaymesh-topics").resolve("topics.db").toString());
            env.put("RELAYMESH_DIALECTS_MAILBOX_STORE_PATH",
                    java.nio.file.Files.createTempDirectory("relaymesh-mailbox").resolve("mailbox.db").toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        env.putAll(overrides);
        LoadResult result = ConfigLoader.load(Optional.empty(), env);
        if (result instanceof LoadResult.Rejected rejected) {
            throw new IllegalArgumentException("test config rejected: " + rejected.problems());
        }
        io.relaymesh.bootstrap.config.RelaymeshConfig config = ((LoadResult.Loaded) result).config();
        relaymesh = echo
                ? Relaymesh.start(io.relaymesh.bootstrap.wiring.EchoComponent.build(config,
                        new io.relaymesh.bootstrap.wiring.RuntimeFacts(new io.relaymesh.domain.model.PodId(
                                config.server().podId()), -1, listenerDeaths::incrementAndGet)),
                        listenerDeaths::incrementAndGet)
                : Relaymesh.start(config, listenerDeaths::incrementAndGet);
    }

    static GatewayHarness start() {
        return new GatewayHarness(Map.of());
    }

    static GatewayHarness start(Map<String, String> overrides) {
        return new GatewayHarness(overrides);
    }

    /** Environment that puts a pod in cluster mode on the given Redis and NATS, with its own id and gRPC port. */
    static Map<String, String> clusterEnv(String podId, String redisAddress, String natsUrl) {
        try {
            int grpc = JarProcess.freePort();
            return Map.of(
                    "RELAYMESH_SERVER_POD_ID", podId,
                    "RELAYMESH_SERVER_GRPC_PORT", String.valueOf(grpc),
                    "RELAYMESH_SERVER_GRPC_ADVERTISE_ADDRESS", "127.0.0.1:" + grpc,
                    "RELAYMESH_REDIS_ADDRESS", redisAddress,
                    "RELAYMESH_NATS_URL", natsUrl,
                    "RELAYMESH_APP_TTL_REFRESH_INTERVAL_SECONDS", "1");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A pod in cluster mode. */
    static GatewayHarness pod(String podId, String redisAddress, String natsUrl) {
        return new GatewayHarness(clusterEnv(podId, redisAddress, natsUrl));
    }

    /** A pod in cluster mode that also speaks the test-only echo dialect. */
    static GatewayHarness echoPod(String podId, String redisAddress, String natsUrl) {
        return new GatewayHarness(clusterEnv(podId, redisAddress, natsUrl), true);
    }

    /** A standalone gateway that also speaks the test-only echo dialect. */
    static GatewayHarness echoStandalone() {
        return new GatewayHarness(Map.of(), true);
    }

    /** A standalone gateway with the echo dialect and extra settings. */
    static GatewayHarness echoStandalone(Map<String, String> overrides) {
        return new GatewayHarness(overrides, true);
    }

    /** A pod in cluster mode with extra settings. */
    static GatewayHarness pod(String podId, String redisAddress, String natsUrl, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(clusterEnv(podId, redisAddress, natsUrl));
        env.putAll(extra);
        return new GatewayHarness(env);
    }

    Relaymesh relaymesh() {
        return relaymesh;
    }

    int port() {
        return relaymesh.port();
    }

    URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + port() + path);
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    URI userUri(String company, String agent, String token) {
        return ws("/ws/" + company + "/" + agent + "?token=" + q(token) + "&x-api-key=" + q(GENERAL_KEY));
    }

    URI adminUri(String token) {
        return ws("/ws/admin?token=" + q(token) + "&x-api-key=" + q(ADMIN_KEY));
    }

    /** A connected user that has received {@code ready}. */
    WsClient user(String company, String agent, String user) {
        WsClient client = WsClient.connect(userUri(company, agent, userToken(company, agent, user, 3600)));
        client.expectReady();
        return client;
    }

    /** A connected admin that has received {@code ready}. */
    WsClient admin(String adminId, String company, String agent, String restriction) {
        WsClient client = WsClient.connect(adminUri(adminToken(adminId, company, agent, restriction)));
        client.expectReady();
        return client;
    }

    String userToken(String company, String agent, String user, long ttlSeconds) {
        ObjectNode body = WsClient.JSON.createObjectNode();
        body.put("company_id", company).put("agent_id", agent).put("user_id", user)
                .put("expires_in_seconds", ttlSeconds);
        HttpResponse<String> response = post("/generate-token", GENERAL_KEY, body.toString());
        assertEquals(200, response.statusCode(), response.body());
        return json(response.body()).path("token").asText();
    }

    String adminToken(String adminId, String company, String agent, String restriction) {
        ObjectNode body = WsClient.JSON.createObjectNode();
        body.put("admin_id", adminId).put("expires_in_seconds", 3600);
        if (company != null) {
            body.put("subscribed_company_id", company);
        }
        if (agent != null) {
            body.put("subscribed_agent_id", agent);
        }
        if (restriction != null) {
            body.put("company_id_restriction", restriction);
        }
        HttpResponse<String> response = post("/admin/generate-token", ADMIN_KEY, body.toString());
        assertEquals(200, response.statusCode(), response.body());
        return json(response.body()).path("token").asText();
    }

    /** Publishes {@code payload} to {@code subject}; returns the response body. */
    JsonNode publish(String subject, String payloadJson) {
        HttpResponse<String> response = post("/api/v1/publish", ADMIN_KEY,
                "{\"subject\":\"" + subject + "\",\"payload\":" + payloadJson + "}");
        assertEquals(200, response.statusCode(), response.body());
        return json(response.body());
    }

    HttpResponse<String> post(String path, String apiKey, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        return send(request.build());
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(10)).GET().build());
    }

    /** A GET with {@code apiKey} in the X-API-Key header (none when null). */
    HttpResponse<String> get(String path, String apiKey) {
        return request("GET", path, apiKey, null);
    }

    /** Any method, with {@code apiKey} in the X-API-Key header (none when null) and an optional JSON body. */
    HttpResponse<String> request(String method, String path, String apiKey, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        return send(request.build());
    }

    /** The admin API's answer to {@code GET path} with the admin key, which must be 200 JSON. */
    JsonNode admin(String path) {
        HttpResponse<String> response = get(path, ADMIN_KEY);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return json(response.body());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("HTTP " + request.uri() + " failed", e);
        }
    }

    static JsonNode json(String text) {
        try {
            return WsClient.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** Waits up to {@code timeout} for {@code condition}. */
    static void eventually(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail("not true within " + timeout + ": " + what);
    }

    @Override
    public void close() {
        relaymesh.close();
    }
}
