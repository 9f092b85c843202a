package io.relaymesh.adapters.web.dialect.mailbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.application.dialect.mailbox.MailboxSettings;
import io.relaymesh.domain.mailbox.MailboxMessage;
import io.relaymesh.domain.model.Names;

import java.util.Base64;
import java.util.List;

/**
 * The seed's frames, read and written: client frames are checked field by field, and every
 * problem is a sentence naming the field, for an {@code error} frame. Thread-safe.
 */
final class MailboxFrames {
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final String HELLO_OK = "{\"type\":\"hello_ok\"}";
    private static final int MAX_MSG_ID_LENGTH = 128;

    private MailboxFrames() {
    }

    /** A client frame, checked. */
    sealed interface Client {
        /** {@code token} is an addition to the seed (optional JWT); null when absent. */
        record Hello(String wayfarerId, String token) implements Client {
        }

        /** {@code ttlSeconds} is 0 when absent. */
        record Send(String to, long ttlSeconds, String payloadB64) implements Client {
        }

        record Ack(String msgId) implements Client {
        }

        /** {@code limit} is 0 when absent. */
        record Pull(int limit) implements Client {
        }

        /** Not a frame we can act on: {@code problem} says why. */
        record Bad(String problem) implements Client {
        }
    }

    static Client parse(String text, MailboxSettings settings) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return new Client.Bad("frame is not valid JSON: " + e.getOriginalMessage());
        }
        if (frame == null || !frame.isObject()) {
            return new Client.Bad("frame must be a JSON object with a \"type\"");
        }
        JsonNode type = frame.get("type");
        if (type == null || type.isNull()) {
            return new Client.Bad("missing field: type");
        }
        if (!type.isTextual()) {
            return new Client.Bad("field type must be a string");
        }
        try {
            return switch (type.asText()) {
                case "hello" -> new Client.Hello(wayfarer(frame, "wayfarer_id"), optionalText(frame, "token"));
                case "send" -> send(frame, settings);
                case "ack" -> new Client.Ack(msgId(frame));
                case "pull" -> new Client.Pull(pullLimit(frame));
                default -> new Client.Bad("unknown type \"" + Names.printable(type.asText())
                        + "\"; expected hello, send, ack or pull");
            };
        } catch (IllegalArgumentException e) {
            return new Client.Bad(e.getMessage());
        }
    }

    private static Client.Send send(JsonNode frame, MailboxSettings settings) {
        String to = wayfarer(frame, "to");
        String payload = requiredText(frame, "payload_b64");
        return new Client.Send(to, ttl(frame), checkedPayload(payload, settings.maxPayloadBytes(), "payload_b64"));
    }

    /** A wayfarer id: a string usable as a route key segment. */
    static String wayfarer(JsonNode frame, String field) {
        String value = requiredText(frame, field);
        String problem = Names.problemWith(value);
        if (problem != null) {
            throw new IllegalArgumentException("field " + field + " " + problem);
        }
        return value;
    }

    /** Standard base64 whose decoded size is within {@code maxBytes}. */
    static String checkedPayload(String payload, int maxBytes, String field) {
        // Checked on the encoded length first, so an oversized payload is never decoded.
        long decodedAtMost = (long) payload.length() / 4 * 3;
        if (decodedAtMost - 2 > maxBytes) {
            throw new IllegalArgumentException("payload too large: " + field + " decodes to more than " + maxBytes
                    + " bytes (dialects.mailbox.max_payload_bytes)");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad base64 in " + field + ": " + e.getMessage());
        }
        if (decoded.length > maxBytes) {
            throw new IllegalArgumentException("payload too large: " + field + " decodes to " + decoded.length
                    + " bytes, at most " + maxBytes + " allowed (dialects.mailbox.max_payload_bytes)");
        }
        return payload;
    }

    /** {@code ttl_seconds}: absent or null is 0 (the longest allowed); else a whole number of seconds, 0 or more. */
    static long ttl(JsonNode frame) {
        JsonNode ttl = frame.get("ttl_seconds");
        if (ttl == null || ttl.isNull()) {
            return 0;
        }
        if (!ttl.isIntegralNumber() || !ttl.canConvertToLong()) {
            throw new IllegalArgumentException("field ttl_seconds must be a whole number of seconds, got " + ttl);
        }
        if (ttl.asLong() < 0) {
            throw new IllegalArgumentException("field ttl_seconds must be 0 or more, got " + ttl.asLong());
        }
        return ttl.asLong();
    }

    private static String msgId(JsonNode frame) {
        String id = requiredText(frame, "msg_id");
        if (id.isBlank() || id.length() > MAX_MSG_ID_LENGTH) {
            throw new IllegalArgumentException("field msg_id must be a message id from a message frame (1 to "
                    + MAX_MSG_ID_LENGTH + " characters)");
        }
        return id;
    }

    private static int pullLimit(JsonNode frame) {
        JsonNode limit = frame.get("limit");
        if (limit == null || limit.isNull()) {
            return 0;
        }
        if (!limit.isIntegralNumber() || !limit.canConvertToInt() || limit.asInt() < 1) {
            throw new IllegalArgumentException("field limit must be a whole number, 1 or more, got " + limit);
        }
        return limit.asInt();
    }

    static String requiredText(JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field: " + field);
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("field " + field + " must be a string");
        }
        return value.asText();
    }

    private static String optionalText(JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("field " + field + " must be a non-empty string when present");
        }
        return value.asText();
    }

    static String error(String problem) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("type", "error").put("payload", problem);
        return frame.toString();
    }

    static String sendOk(MailboxMessage message) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("type", "send_ok").put("msg_id", message.id()).put("at", message.atSeconds());
        return frame.toString();
    }

    static String message(String id, String from, String payloadB64, long at) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("type", "message");
        fill(frame, id, from, payloadB64, at);
        return frame.toString();
    }

    static String messages(List<MailboxMessage> messages) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("type", "messages");
        ArrayNode list = frame.putArray("messages");
        for (MailboxMessage m : messages) {
            fill(list.addObject(), m.id(), m.from(), m.payloadB64(), m.atSeconds());
        }
        return frame.toString();
    }

    private static void fill(ObjectNode node, String id, String from, String payloadB64, long at) {
        node.put("msg_id", id).put("from", from).put("payload_b64", payloadB64).put("at", at);
    }
}
