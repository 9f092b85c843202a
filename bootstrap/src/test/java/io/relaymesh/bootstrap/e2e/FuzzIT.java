package io.relaymesh.bootstrap.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded fuzzing of the real jar: mutated and random client frames on a user socket, and mutated
 * and random bodies on every JSON endpoint. Nothing may crash the process, no answer may be a 5xx
 * or a stack trace, no socket may be closed with 1011 (internal error), and afterwards the server
 * still serves a fresh client. Bounded in count and time; a failure prints the seed and the input.
 */
class FuzzIT {
    /** Fixed so that a failure can be replayed; FUZZ_SEED overrides it to explore further. */
    private static final long SEED = Long.parseLong(System.getenv().getOrDefault("FUZZ_SEED", "20261206"));
    private static final int FRAMES = 1_500;
    private static final int REQUESTS = 1_200;
    private static final Duration BUDGET = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static JarProcess jar;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        port = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(JarProcess.keyedEnv(port));
        // Fuzzing sends far faster than a client may; the rate limit would only end it early.
        env.put("RELAYMESH_APP_CLIENT_MAX_MESSAGES_PER_SECOND", "100000");
        env.put("RELAYMESH_APP_CLIENT_MESSAGE_BURST", "100000");
        jar = JarProcess.start(port, env, 0).awaitUp();
    }

    @AfterAll
    static void stop() throws Exception {
        if (jar != null) {
            jar.close();
        }
    }

    @Test
    void mutatedClientFrames_neverCrashTheServer_norEndASocketWithAnInternalError() throws Exception {
        Random random = new Random(SEED);
        List<String> seeds = List.of(
                "{\"type\":\"select_chat\",\"payload\":{\"chat_id\":\"chat-42\"}}",
                "{\"type\":\"ping\"}",
                "{\"type\":\"select_chat\",\"payload\":{}}",
                "{\"type\":\"unknown\",\"payload\":[1,2,3]}");
        long deadline = System.nanoTime() + BUDGET.toNanos();
        WsClient client = connectUser();
        int sent = 0;
        Map<Integer, Integer> closes = new TreeMap<>();
        String last = "";
        while (sent < FRAMES && System.nanoTime() < deadline) {
            String frame = Mutations.frame(random, seeds);
            if (client.isClosed()) {
                client = reconnectAfter(client, closes, last);
            }
            last = frame;
            try {
                client.send(frame);
            } catch (RuntimeException e) {
                // The server may close a socket for a bad frame (a 4xxx code): checked on the next turn.
                assertTrue(client.isClosed(), "seed " + SEED + ": send failed on an open socket: " + e);
                continue;
            }
            sent++;
        }
        // The server may still be working through frames sent last, one of which may close the
        // socket: a pong proves it is past them; a close on the way means a new socket and again.
        boolean pong = false;
        for (int attempt = 0; attempt < 3 && !pong; attempt++) {
            if (client.isClosed()) {
                client = reconnectAfter(client, closes, last);
            }
            try {
                client.send("{\"type\":\"ping\"}");
            } catch (RuntimeException e) {
                continue;
            }
            pong = drainUntilPong(client);
        }
        assertTrue(pong, "seed " + SEED + ": no pong after " + sent + " fuzzed frames");
        client.close();
        assertTrue(sent >= 200, "only " + sent + " frames fuzzed within " + BUDGET);
        System.out.printf("fuzz: %d frames, closes by code %s, seed %d%n", sent, closes, SEED);
        assertHealthyAndServing();
    }

    @Test
    void mutatedBodiesOnEveryJsonEndpoint_neverGetA5xxOrAStackTrace() throws Exception {
        Random random = new Random(SEED + 1);
        Map<String, List<String>> endpoints = new TreeMap<>(Map.of(
                "/generate-token", List.of(GatewayHarness.GENERAL_KEY,
                        "{\"company_id\":\"acme\",\"agent_id\":\"support\",\"user_id\":\"alice\",\"expires_in_seconds\":60}"),
                "/admin/generate-token", List.of(GatewayHarness.ADMIN_KEY,
                        "{\"admin_id\":\"ops\",\"subscribed_company_id\":\"acme\",\"expires_in_seconds\":60}"),
                "/api/v1/publish", List.of(GatewayHarness.ADMIN_KEY,
                        "{\"subject\":\"websocket.acme.support.chats\",\"payload\":{\"event_id\":\"e-1\"}}"),
                "/admin/api/sessions/kick", List.of(GatewayHarness.ADMIN_KEY,
                        "{\"session_key\":\"session:acme:support:alice\"}"),
                "/admin/api/tokens/revoke", List.of(GatewayHarness.ADMIN_KEY,
                        "{\"jti\":\"0b6c2f1e-3d4a-4e5f-8a9b-1c2d3e4f5a6b\",\"expires_at\":4102444800}")));
        long deadline = System.nanoTime() + BUDGET.toNanos();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int sent = 0;
        List<String> paths = new ArrayList<>(endpoints.keySet());
        while (sent < REQUESTS && System.nanoTime() < deadline) {
            String path = paths.get(random.nextInt(paths.size()));
            String key = endpoints.get(path).get(0);
            String body = Mutations.frame(random, List.of(endpoints.get(path).get(1)));
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
            if (random.nextInt(10) > 0) {
                request.header("X-API-Key", key);
            }
            if (random.nextInt(10) > 0) {
                request.header("Content-Type", random.nextInt(8) > 0 ? "application/json" : "text/plain");
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            statuses.merge(response.statusCode(), 1, Integer::sum);
            String context = "seed " + (SEED + 1) + ": POST " + path + " " + body + " -> " + response.statusCode()
                    + " " + response.body();
            assertTrue(response.statusCode() < 500, context);
            assertTrue(!response.body().contains("\tat ") && !response.body().contains("Exception"),
                    "a stack trace or exception name in the answer: " + context);
            sent++;
        }
        assertTrue(sent >= 200, "only " + sent + " requests fuzzed within " + BUDGET);
        System.out.printf("fuzz: %d requests, statuses %s, seed %d%n", sent, statuses, SEED + 1);
        assertHealthyAndServing();
    }

    /** The process is alive, /health answers, and a new client connects and gets a published event. */
    private static void assertHealthyAndServing() throws Exception {
        assertTrue(jar.process.isAlive(), "the server process died:\n" + jar.tail(40));
        assertEquals(200, jar.health(), "/health after fuzzing");
        try (WsClient client = connectUser()) {
            HttpResponse<String> published = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/api/v1/publish"))
                    .header("X-API-Key", GatewayHarness.ADMIN_KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"subject\":\"websocket.acme.fuzz.chats\",\"payload\":{\"event_id\":\"after-fuzz\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, published.statusCode(), published.body());
            assertEquals("after-fuzz", client.next(Duration.ofSeconds(5)).path("payload").path("event_id").asText());
        }
    }

    private static WsClient connectUser() throws Exception {
        HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/generate-token"))
                .header("X-API-Key", GatewayHarness.GENERAL_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"company_id\":\"acme\",\"agent_id\":\"fuzz\",\"user_id\":\"fuzzer\",\"expires_in_seconds\":600}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, token.statusCode(), token.body());
        WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/acme/fuzz?token="
                + GatewayHarness.q(GatewayHarness.json(token.body()).path("token").asText())
                + "&x-api-key=" + GatewayHarness.q(GatewayHarness.GENERAL_KEY)));
        client.expectReady();
        return client;
    }

    /** Checks how a socket ended (never 1011, never without a close frame) and opens a new one. */
    private static WsClient reconnectAfter(WsClient client, Map<Integer, Integer> closes, String lastFrame)
            throws Exception {
        WsClient.Closed closed = client.awaitClose(Duration.ofSeconds(1));
        closes.merge(closed.code(), 1, Integer::sum);
        assertTrue(closed.code() != 1011 && closed.code() != -1,
                "seed " + SEED + ": socket ended with " + closed + " after the frame " + lastFrame);
        client.close();
        return connectUser();
    }

    /** Reads frames until a pong (true), or false after 5 s or once the socket is closed and drained. */
    private static boolean drainUntilPong(WsClient client) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            var frame = client.poll(Duration.ofMillis(200));
            if (frame != null && "pong".equals(frame.path("type").asText())) {
                return true;
            }
            if (client.isClosed() && frame == null) {
                return false;
            }
        }
        return false;
    }

    /** Input generators: mutations of valid samples, and random text. Deterministic for a given Random. */
    static final class Mutations {
        private static final String[] VALUES = {"null", "true", "-1", "0", "1e309", "18446744073709551616", "\"\"",
                "[]", "{}", "\"\\u0000\"", "\"\\ud800\"", "\"" + "x".repeat(5000) + "\"", "\"a\\nb\"", "\"../../etc\"",
                "\"<script>\"", "\"\u00e9\u4e2d\ud83d\ude00\"", "[[[[[[[[[[]]]]]]]]]]"};
        private static final String ALPHABET = "{}[]\":,\\ \n\tabcxyz0123456789-.eE+\u00e9\u0000";

        private Mutations() {
        }

        static String frame(Random random, List<String> samples) {
            String base = samples.get(random.nextInt(samples.size()));
            return switch (random.nextInt(9)) {
                case 0 -> randomText(random, 1 + random.nextInt(200));
                case 1 -> base.substring(0, random.nextInt(base.length() + 1));
                case 2 -> replaceAValue(random, base);
                case 3 -> replaceAValue(random, replaceAValue(random, base));
                case 4 -> base + randomText(random, 1 + random.nextInt(20));
                case 5 -> "[".repeat(1 + random.nextInt(3000)) + "]".repeat(random.nextInt(3000));
                case 6 -> base.replaceFirst("\\{", "{\"type\":" + VALUES[random.nextInt(VALUES.length)] + ",");
                case 7 -> flipCharacters(random, base);
                default -> base;
            };
        }

        private static String replaceAValue(Random random, String json) {
            List<int[]> spans = new ArrayList<>();
            for (int i = json.indexOf(':'); i >= 0; i = json.indexOf(':', i + 1)) {
                int end = i + 1;
                int depth = 0;
                while (end < json.length()) {
                    char c = json.charAt(end);
                    if (c == '{' || c == '[') {
                        depth++;
                    } else if (c == '}' || c == ']') {
                        if (depth == 0) {
                            break;
                        }
                        depth--;
                    } else if (c == ',' && depth == 0) {
                        break;
                    }
                    end++;
                }
                spans.add(new int[]{i + 1, end});
            }
            if (spans.isEmpty()) {
                return json;
            }
            int[] span = spans.get(random.nextInt(spans.size()));
            return json.substring(0, span[0]) + VALUES[random.nextInt(VALUES.length)] + json.substring(span[1]);
        }

        private static String flipCharacters(Random random, String text) {
            StringBuilder out = new StringBuilder(text);
            for (int i = 0, n = 1 + random.nextInt(4); i < n && out.length() > 0; i++) {
                out.setCharAt(random.nextInt(out.length()), ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            return out.toString();
        }

        private static String randomText(Random random, int length) {
            StringBuilder out = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            return out.toString();
        }
    }
}
