package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/** Clients of the conversations dialect (seed 003) for the end-to-end tests: tokens, auth, waiting for a frame type. */
final class ChatClients {
    static final Duration WAIT = Duration.ofSeconds(10);

    private ChatClients() {
    }

    /** Settings for fast tests: typing ends after 1 s, presence lapses after 2 s, auth within 1 s. */
    static Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("RELAYMESH_AUTH_JWT_SECRET", JwtTokens.SECRET);
        env.put("RELAYMESH_DIALECTS_CONVERSATIONS_TYPING_EXPIRY_SECONDS", "1");
        env.put("RELAYMESH_DIALECTS_CONVERSATIONS_PRESENCE_EXPIRY_SECONDS", "2");
        env.put("RELAYMESH_DIALECTS_CONVERSATIONS_AUTH_TIMEOUT_SECONDS", "1");
        env.put("RELAYMESH_DIALECTS_CONVERSATIONS_IDLE_TIMEOUT_SECONDS", "30");
        env.put("RELAYMESH_DIALECTS_CONVERSATIONS_ALLOW_WITHOUT_CLAIM", "true");
        env.putAll(extra);
        return env;
    }

    /** A token for {@code user} valid for an hour, with {@code conversations} as its claim when not null. */
    static String token(String user, List<String> conversations) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(user)
                .expirationTime(Date.from(Instant.now().plusSeconds(3600)));
        if (conversations != null) {
            claims.claim("conversations", conversations);
        }
        return JwtTokens.hs256(JwtTokens.SECRET, claims);
    }

    static String auth(String token) {
        return "{\"type\":\"auth\",\"payload\":{\"token\":\"" + token + "\"}}";
    }

    static String subscribe(String... ids) {
        return "{\"type\":\"subscribe\",\"payload\":{\"conversation_ids\":" + list(ids) + "}}";
    }

    static String list(String... ids) {
        StringBuilder out = new StringBuilder("[");
        for (String id : ids) {
            out.append(out.length() > 1 ? "," : "").append('"').append(id).append('"');
        }
        return out.append(']').toString();
    }

    /** Connects to {@code uri}, authenticates as {@code user} and expects auth.success. */
    static WsClient connect(URI uri, String user) {
        WsClient client = WsClient.connect(uri);
        client.send(auth(token(user, null)));
        JsonNode ok = next(client, "auth.success");
        assertEquals(user, ok.path("payload").path("user_id").asText(), ok.toString());
        assertFalse(ok.path("payload").path("session_id").asText().isEmpty(), ok.toString());
        return client;
    }

    /** Connects, authenticates and subscribes to {@code conversations}, expecting them all in subscribed. */
    static WsClient joined(URI uri, String user, String... conversations) {
        WsClient client = connect(uri, user);
        client.send(subscribe(conversations));
        JsonNode subscribed = next(client, "subscribed");
        assertEquals(List.of(conversations), ids(subscribed), subscribed.toString());
        return client;
    }

    static List<String> ids(JsonNode frame) {
        List<String> ids = new java.util.ArrayList<>();
        frame.path("payload").path("conversation_ids").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    /** The next frame of {@code type}, skipping others (presence updates arrive in between). */
    static JsonNode next(WsClient client, String type) {
        return next(client, type, WAIT);
    }

    static JsonNode next(WsClient client, String type, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode frame = client.poll(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (frame != null && type.equals(frame.path("type").asText())) {
                return frame;
            }
        }
        fail("no " + type + " frame within " + timeout);
        return null;
    }

    /** Null when no frame of {@code type} arrives within {@code window}, else that frame. */
    static JsonNode none(WsClient client, String type, Duration window) {
        long deadline = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode frame = client.poll(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (frame != null && type.equals(frame.path("type").asText())) {
                return frame;
            }
        }
        return null;
    }

    /** The next presence.update about {@code user}. */
    static String presenceOf(WsClient client, String user, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode frame = next(client, "presence.update", Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (user.equals(frame.path("payload").path("user_id").asText())) {
                return frame.path("payload").path("status").asText();
            }
        }
        fail("no presence.update for " + user + " within " + timeout);
        return null;
    }
}
