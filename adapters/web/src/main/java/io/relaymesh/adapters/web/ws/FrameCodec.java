package io.relaymesh.adapters.web.ws;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.application.connection.ClientMessage;
import io.relaymesh.application.connection.ServerMessage;

import java.nio.charset.StandardCharsets;

/** Renders server frames as JSON and parses client frames. Thread-safe (ObjectMapper is). */
public final class FrameCodec {
    // Jackson's default buffer pool is per thread: with a virtual thread per connection it kept
    // ~0.6 KB of buffers alive per idle connection. One shared pool serves every thread.
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedLockFreePool()).build());
    private static final String READY = "{\"type\":\"ready\"}";
    private static final String PONG = "{\"type\":\"pong\"}";

    /** A parsed client frame, or why it is not one. */
    public sealed interface Parsed {
        record Ok(ClientMessage message) implements Parsed {
        }

        record Bad(String reason) implements Parsed {
        }
    }

    private FrameCodec() {
    }

    public static String render(ServerMessage message) {
        return switch (message) {
            case ServerMessage.Ready ready -> ready.recovered() == null ? READY
                    : "{\"type\":\"ready\",\"recovered\":" + ready.recovered() + "}";
            case ServerMessage.ChatSelected selected -> {
                ObjectNode root = JSON.createObjectNode();
                root.put("type", "chat_selected");
                root.putObject("payload").put("chat_id", selected.chatId()).put("recovered", selected.recovered());
                yield root.toString();
            }
            case ServerMessage.Pong pong -> PONG;
            case ServerMessage.Text text -> text.json();
            // The payload is already JSON: splice it in rather than parse and re-serialize it.
            case ServerMessage.EventFrame event -> new String(PRIMARY_EVENT.apply(event.event()), StandardCharsets.UTF_8);
            case ServerMessage.Error error -> {
                ObjectNode root = JSON.createObjectNode();
                root.put("type", "error");
                ObjectNode payload = root.putObject("payload");
                payload.put("code", error.code().name());
                payload.put("message", error.message());
                payload.put("details", error.details() == null ? "" : error.details());
                yield root.toString();
            }
        };
    }

    /**
     * The frame's JSON as UTF-8. An event frame is encoded once however many connections it goes
     * to (a broadcast to 1,000 clients would otherwise build and encode the same text 1,000 times).
     */
    public static byte[] utf8(ServerMessage message) {
        if (message instanceof ServerMessage.EventFrame event) {
            return event.encoded(PRIMARY_EVENT);
        }
        return render(message).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code utf8} with a dialect's renderer for event frames. */
    static byte[] utf8(ServerMessage message, java.util.function.Function<io.relaymesh.domain.model.Envelope, byte[]> events) {
        if (events != null && message instanceof ServerMessage.EventFrame event) {
            return event.encoded(events);
        }
        return utf8(message);
    }

    private static final byte[] EVENT_PREFIX = "{\"type\":\"event\",\"payload\":".getBytes(StandardCharsets.UTF_8);

    private static final byte[] POSITION_PREFIX = ",\"position\":\"".getBytes(StandardCharsets.UTF_8);

    /**
     * The primary protocol's event frame: the payload (UTF-8 JSON) spliced in without a copy to
     * text, then its {@code position} when it has one (an addition to the seed's frame: clients
     * resume from it). A position is {@code <epoch>:<digits>} with a stream name or base-36 epoch,
     * so it needs no JSON escaping.
     */
    private static final java.util.function.Function<io.relaymesh.domain.model.Envelope, byte[]> PRIMARY_EVENT = e -> {
        byte[] payload = e.payload();
        String position = e.position();
        byte[] at = position == null || !isPosition(position) ? null : position.getBytes(StandardCharsets.US_ASCII);
        int tail = at == null ? 1 : POSITION_PREFIX.length + at.length + 2;
        byte[] out = new byte[EVENT_PREFIX.length + payload.length + tail];
        System.arraycopy(EVENT_PREFIX, 0, out, 0, EVENT_PREFIX.length);
        System.arraycopy(payload, 0, out, EVENT_PREFIX.length, payload.length);
        int i = EVENT_PREFIX.length + payload.length;
        if (at != null) {
            System.arraycopy(POSITION_PREFIX, 0, out, i, POSITION_PREFIX.length);
            i += POSITION_PREFIX.length;
            System.arraycopy(at, 0, out, i, at.length);
            i += at.length;
            out[i++] = '"';
        }
        out[i] = '}';
        return out;
    };

    /** Whether {@code text} is safe to write as a position without escaping: {@code [A-Za-z0-9._-]+:[0-9]+}. */
    static boolean isPosition(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1 || text.length() > 128) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = i < colon ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' : i == colon || (c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Bytes of the header of an unmasked server frame carrying {@code payloadLength} bytes (RFC 6455 5.2). */
    static int headerLength(int payloadLength) {
        return payloadLength < 126 ? 2 : payloadLength < 65_536 ? 4 : 10;
    }

    /** Writes the header of a final, unmasked text frame at {@code at}; returns where the payload goes. */
    static int writeTextHeader(byte[] out, int at, int payloadLength) {
        out[at++] = (byte) 0x81; // FIN + opcode 1 (text)
        if (payloadLength < 126) {
            out[at++] = (byte) payloadLength;
        } else if (payloadLength < 65_536) {
            out[at++] = 126;
            out[at++] = (byte) (payloadLength >>> 8);
            out[at++] = (byte) payloadLength;
        } else {
            out[at++] = 127;
            for (int shift = 56; shift >= 0; shift -= 8) {
                out[at++] = (byte) ((long) payloadLength >>> shift);
            }
        }
        return at;
    }

    public static Parsed parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return new Parsed.Bad("frame is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            return new Parsed.Bad("frame must be a JSON object with a \"type\" field");
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual()) {
            return new Parsed.Bad("frame has no \"type\" field; expected select_chat or ping");
        }
        return switch (type.asText()) {
            case "ping" -> new Parsed.Ok(new ClientMessage.Ping());
            case "select_chat" -> {
                JsonNode chat = root.path("payload").path("chat_id");
                if (!chat.isTextual()) {
                    yield new Parsed.Bad("select_chat needs payload.chat_id as a string");
                }
                JsonNode since = root.path("payload").path("since");
                if (!since.isMissingNode() && !since.isNull() && !since.isTextual()) {
                    yield new Parsed.Bad("select_chat payload.since must be a position string (the \"position\" of the "
                            + "last event seen)");
                }
                yield new Parsed.Ok(new ClientMessage.SelectChat(chat.asText(), since.isTextual() ? since.asText() : null));
            }
            default -> new Parsed.Bad("unknown frame type \"" + type.asText() + "\"; expected select_chat or ping");
        };
    }
}
