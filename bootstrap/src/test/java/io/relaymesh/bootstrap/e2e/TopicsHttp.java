package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** A Pulsar Relay client of one gateway (the real jar): producers' and long-poll consumers' HTTP calls, socket URLs and JWTs. */
final class TopicsHttp {
    /** The publishing key: auth.admin_secret_token (DESIGN.md). */
    static final String PUBLISHING_KEY = GatewayHarness.ADMIN_KEY;

    /** A response: status and body as JSON. */
    record Answer(int status, JsonNode body, String text, long millis) {
    }

    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    TopicsHttp(int port) {
        this.port = port;
    }

    /** A user's JWT (HS256 with {@link JwtTokens#SECRET}), valid for an hour. */
    static String jwt(String user) {
        return JwtTokens.hs256(JwtTokens.SECRET, new JWTClaimsSet.Builder().subject(user)
                .expirationTime(Date.from(Instant.now().plusSeconds(3600))));
    }

    /** Settings every topics test jar runs with, on top of the test keys. */
    static Map<String, String> env(Map<String, String> base, Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(base);
        env.put("RELAYMESH_AUTH_JWT_SECRET", JwtTokens.SECRET);
        env.putAll(extra);
        return env;
    }

    URI ws(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port + pathAndQuery);
    }

    /** {@code POST /api/v1/messages} with {@code key} as the Bearer (none when null), as given. */
    Answer send(String key, String body, String... headers) {
        return post("/api/v1/messages", key, body, headers);
    }

    Answer publish(String topic, String payloadJson) {
        Answer answer = send(PUBLISHING_KEY, "{\"topic\":\"" + topic + "\",\"payload\":" + payloadJson + "}");
        if (answer.status() != 200) {
            throw new AssertionError("publish to " + topic + ": " + answer.status() + " " + answer.text());
        }
        return answer;
    }

    Answer post(String path, String bearer, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(90)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    Answer get(String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(90)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request.build());
    }

    /** {@code GET /api/v1/poll}; fails unless 200. */
    Answer poll(String token, String topics, int timeoutSeconds, String clientId) {
        Answer answer = get("/api/v1/poll?topics=" + topics + "&timeout=" + timeoutSeconds
                + (clientId == null ? "" : "&client_id=" + clientId), token);
        if (answer.status() != 200) {
            throw new AssertionError("poll: " + answer.status() + " " + answer.text());
        }
        return answer;
    }

    Answer ack(String token, String clientId, List<String> ids) {
        return post("/api/v1/ack?client_id=" + clientId, token, "{\"message_ids\":" + GatewayHarness.json(
                WsClient.JSON.valueToTree(ids).toString()) + "}");
    }

    static List<String> payloadsOf(Answer poll, String field) {
        List<String> out = new java.util.ArrayList<>();
        poll.body().path("messages").forEach(m -> out.add(m.path("payload").path(field).asText()));
        return out;
    }

    static List<String> idsOf(Answer poll) {
        List<String> out = new java.util.ArrayList<>();
        poll.body().path("messages").forEach(m -> out.add(m.path("message_id").asText()));
        return out;
    }

    private Answer send(HttpRequest request) {
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - started) / 1_000_000;
            JsonNode body;
            try {
                body = WsClient.JSON.readTree(response.body());
            } catch (Exception e) {
                body = WsClient.JSON.missingNode();
            }
            return new Answer(response.statusCode(), body, response.body(), millis);
        } catch (Exception e) {
            throw new AssertionError("HTTP " + request.uri() + " failed", e);
        }
    }
}
