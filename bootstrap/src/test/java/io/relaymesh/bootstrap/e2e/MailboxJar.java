package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A real jar speaking the mailbox dialect, with the helpers its tests share. */
final class MailboxJar implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    final JarProcess jar;
    private final HttpClient http = HttpClient.newHttpClient();

    private MailboxJar(JarProcess jar) {
        this.jar = jar;
    }

    /** A jar with the seed-compatible setting (no token on hello), a 1 s sweep, and {@code extra}. */
    static MailboxJar start(Path store, Map<String, String> extra) throws IOException {
        int port = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(JarProcess.keyedEnv(port));
        env.put("RELAYMESH_DIALECTS_MAILBOX_REQUIRE_TOKEN", "false");
        env.put("RELAYMESH_DIALECTS_MAILBOX_SWEEP_INTERVAL_SECONDS", "1");
        env.put("RELAYMESH_DIALECTS_MAILBOX_STORE_PATH", store.toString());
        env.putAll(extra);
        return new MailboxJar(JarProcess.start(port, env, 0).awaitUp());
    }

    static Map<String, String> cluster(String podId, String redis, String nats) {
        return GatewayHarness.clusterEnv(podId, redis, nats);
    }

    URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + jar.port + path);
    }

    /** A client that said hello as {@code wayfarer} on {@code path} and read hello_ok. */
    WsClient hello(String path, String wayfarer) {
        WsClient client = WsClient.connect(ws(path));
        client.send("{\"type\":\"hello\",\"wayfarer_id\":\"" + wayfarer + "\"}");
        JsonNode ok = client.next(WAIT);
        assertEquals("hello_ok", ok.path("type").asText(), ok.toString());
        return client;
    }

    WsClient hello(String wayfarer) {
        return hello("/mailbox/ws", wayfarer);
    }

    /** Sends and returns the send_ok. */
    static JsonNode send(WsClient client, String to, long ttl, String payloadB64) {
        client.send("{\"type\":\"send\",\"to\":\"" + to + "\",\"ttl_seconds\":" + ttl + ",\"payload_b64\":\""
                + payloadB64 + "\"}");
        JsonNode ok = client.next(WAIT);
        assertEquals("send_ok", ok.path("type").asText(), ok.toString());
        return ok;
    }

    static JsonNode pull(WsClient client, int limit) {
        client.send("{\"type\":\"pull\",\"limit\":" + limit + "}");
        JsonNode messages = client.next(WAIT);
        assertEquals("messages", messages.path("type").asText(), messages.toString());
        return messages.path("messages");
    }

    HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jar.port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("GET " + path, e);
        }
    }

    HttpResponse<String> publish(String subject, ObjectNode payload) {
        ObjectNode body = WsClient.JSON.createObjectNode();
        body.put("subject", subject).set("payload", payload);
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jar.port + "/api/v1/publish"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .header("X-API-Key", GatewayHarness.ADMIN_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("publish", e);
        }
    }

    /** A seed metric's value ({@code name{dialect="mailbox"}}), 0 when absent. */
    double metric(String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{dialect=\"mailbox\"[^}]*} ([0-9.eE+-]+)$")
                .matcher(get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** kill -9: no shutdown hook, no close of the store. */
    void kill() throws InterruptedException {
        jar.process.destroyForcibly();
        jar.process.waitFor();
    }

    @Override
    public void close() throws Exception {
        jar.close();
    }
}
