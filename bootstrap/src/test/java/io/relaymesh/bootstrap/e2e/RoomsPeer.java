package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** A client of the peer rooms (the PluresDB relay's protocol) over a real WebSocket, with the seed's frames. */
final class RoomsPeer implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    final WsClient ws;
    /** Frames read while looking for another type, kept for {@link #next}. */
    private final List<JsonNode> skipped = new ArrayList<>();
    String peerId;

    private RoomsPeer(WsClient ws) {
        this.ws = ws;
    }

    static RoomsPeer connect(HttpClient https, URI uri) {
        return new RoomsPeer(WsClient.connect(https, uri));
    }

    /** Sends a join (peerId and token may be null) and returns the {@code joined} answer (failing on anything else). */
    JsonNode join(String topic, String peerId, String token) {
        sendJoin(topic, peerId, token);
        JsonNode joined = next();
        // Another peer's news can come just before joined (docs/dialects/rooms.md, "Limits"): skip it.
        for (int skipped = 0; skipped < 8 && java.util.Set.of("peer-joined", "peer-left", "data")
                .contains(joined.path("type").asText()); skipped++) {
            joined = next();
        }
        assertEquals("joined", joined.path("type").asText(), "expected joined, got " + joined);
        this.peerId = joined.path("peerId").asText();
        return joined;
    }

    JsonNode join(String topic, String peerId) {
        return join(topic, peerId, null);
    }

    void sendJoin(String topic, String peerId, String token) {
        ObjectNode join = WsClient.JSON.createObjectNode().put("type", "join").put("topic", topic);
        if (peerId != null) {
            join.put("peerId", peerId);
        }
        if (token != null) {
            join.put("token", token);
        }
        ws.send(join.toString());
    }

    /** Sends {@code text} as the seed does: {"type":"data","data":base64}. */
    void data(String text) {
        ws.send("{\"type\":\"data\",\"data\":\"" + b64(text) + "\"}");
    }

    void send(String frame) {
        ws.send(frame);
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String text(JsonNode dataFrame) {
        return new String(Base64.getDecoder().decode(dataFrame.path("data").asText()), StandardCharsets.UTF_8);
    }

    /** The next frame (first any skipped earlier). */
    JsonNode next(Duration timeout) {
        if (!skipped.isEmpty()) {
            return skipped.removeFirst();
        }
        return ws.next(timeout);
    }

    JsonNode next() {
        return next(WAIT);
    }

    /** The next frame of {@code type}, keeping the others for {@link #next}. */
    JsonNode nextOf(String type, Duration timeout) {
        for (int i = 0; i < skipped.size(); i++) {
            if (type.equals(skipped.get(i).path("type").asText())) {
                return skipped.remove(i);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode frame = ws.poll(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (frame == null) {
                break;
            }
            if (type.equals(frame.path("type").asText())) {
                return frame;
            }
            skipped.add(frame);
        }
        fail("no " + type + " frame within " + timeout + "; got meanwhile " + skipped);
        return null;
    }

    JsonNode nextOf(String type) {
        return nextOf(type, WAIT);
    }

    /** The next error frame (other frames are kept for later), whose payload must contain {@code text}. */
    JsonNode expectError(String text) {
        JsonNode frame = nextOf("error");
        assertEquals("error", frame.path("type").asText(), "expected an error, got " + frame);
        if (!frame.path("payload").asText().contains(text)) {
            fail("error payload should contain \"" + text + "\": " + frame);
        }
        return frame;
    }

    /** Nothing arrives within {@code quiet}. */
    JsonNode poll(Duration quiet) {
        return skipped.isEmpty() ? ws.poll(quiet) : skipped.removeFirst();
    }

    @Override
    public void close() {
        ws.close();
    }
}
