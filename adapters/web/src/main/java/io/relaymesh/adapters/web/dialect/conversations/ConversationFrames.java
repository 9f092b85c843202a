package io.relaymesh.adapters.web.dialect.conversations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.connection.ServerMessage;
import io.relaymesh.application.dialect.conversations.ConversationKeys;
import io.relaymesh.application.dialect.conversations.ConversationsClients;
import io.relaymesh.domain.model.Envelope;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/**
 * The conversations dialect's frames, as the seed writes them ({@code auth.success},
 * {@code subscribed}, {@code message.new}, {@code typing.start}, {@code pong}) plus the additions
 * ({@code unsubscribed}, {@code typing.stop}, {@code presence.update}, {@code presence.state},
 * {@code error}). Thread-safe.
 */
public final class ConversationFrames implements ConversationsClients {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Close codes: the token was refused, auth did not come first, a frame too large, silence. */
    static final int INVALID_TOKEN = 4403;
    static final int AUTH_REQUIRED = 4401;
    static final int TOO_LARGE = 1009;
    static final int TIMEOUT = 4408;

    /** A client frame read as JSON, or null when it is not a JSON object. */
    static JsonNode parse(String frame) {
        try {
            JsonNode root = JSON.readTree(frame);
            return root != null && root.isObject() ? root : null;
        } catch (IOException e) {
            return null;
        }
    }

    static String error(String code, String message) {
        ObjectNode frame = JSON.createObjectNode().put("type", "error");
        frame.putObject("payload").put("code", code).put("message", message);
        return frame.toString();
    }

    static String authSuccess(String userId, String sessionId) {
        ObjectNode frame = JSON.createObjectNode().put("type", "auth.success");
        frame.putObject("payload").put("user_id", userId).put("session_id", sessionId);
        return frame.toString();
    }

    /** {@code frame} (an object with a payload object) with {@code payload.recovered} added: the answer to a resume. */
    static String resumed(String frame, boolean recovered) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(frame);
            ((ObjectNode) node.get("payload")).put("recovered", recovered);
            return node.toString();
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a frame with a payload object: " + frame, e);
        }
    }

    static String ids(String type, Collection<String> conversationIds) {
        ObjectNode frame = JSON.createObjectNode().put("type", type);
        ArrayNode ids = frame.putObject("payload").putArray("conversation_ids");
        conversationIds.forEach(ids::add);
        return frame.toString();
    }

    static String pong() {
        return "{\"type\":\"pong\"}";
    }

    static String presenceState(String conversation, Map<String, Boolean> online) {
        ObjectNode frame = JSON.createObjectNode().put("type", "presence.state");
        ObjectNode payload = frame.putObject("payload").put("conversation_id", conversation);
        ArrayNode users = payload.putArray("users");
        online.forEach((user, isOnline) -> users.addObject().put("user_id", user)
                .put("status", isOnline ? "online" : "offline"));
        return frame.toString();
    }

    /** An envelope on the wire: by the kind the use case gave it, or as the subject it was published on says. */
    static byte[] render(Envelope envelope) {
        String kind = envelope.attribute(ConversationKeys.KIND);
        if (kind == null && envelope.attribute(ConversationKeys.CONVERSATION_ID) != null) {
            // conversations.{id}: the payload is the message object.
            String conversation = envelope.attribute(ConversationKeys.CONVERSATION_ID);
            String head = "{\"type\":\"message.new\",\"payload\":{\"conversation_id\":"
                    + JSON.getNodeFactory().textNode(conversation) + ",\"message\":";
            byte[] start = head.getBytes(StandardCharsets.UTF_8);
            byte[] payload = envelope.payload();
            byte[] out = new byte[start.length + payload.length + 2];
            System.arraycopy(start, 0, out, 0, start.length);
            System.arraycopy(payload, 0, out, start.length, payload.length);
            out[out.length - 2] = '}';
            out[out.length - 1] = '}';
            return withPosition(out, envelope.position());
        }
        if (ConversationKeys.KIND_TYPING.equals(kind)) {
            ObjectNode frame = JSON.createObjectNode().put("type", "typing." + envelope.attribute(ConversationKeys.STATE));
            frame.putObject("payload").put("conversation_id", envelope.attribute(ConversationKeys.CONVERSATION_ID))
                    .put("user_id", envelope.attribute(ConversationKeys.USER_ID));
            return frame.toString().getBytes(StandardCharsets.UTF_8);
        }
        if (ConversationKeys.KIND_PRESENCE.equals(kind)) {
            ObjectNode frame = JSON.createObjectNode().put("type", "presence.update");
            frame.putObject("payload").put("user_id", envelope.attribute(ConversationKeys.USER_ID))
                    .put("status", envelope.attribute(ConversationKeys.STATUS));
            return frame.toString().getBytes(StandardCharsets.UTF_8);
        }
        // users.{id} from a backend, or a Pub/Sub frame: a whole frame, verbatim (plus its position,
        // when it came from the stream).
        return withPosition(envelope.payload(), envelope.position());
    }

    /**
     * A frame (a JSON object) with a top-level {@code "position"} before its closing brace, an
     * addition clients resume from (positions need no escaping: {@code [A-Za-z0-9._-]+:[0-9]+}).
     * Unchanged when there is no position, or the frame does not end with a brace.
     */
    static byte[] withPosition(byte[] frame, String position) {
        if (position == null || !position.matches("[A-Za-z0-9._-]+:[0-9]+")) {
            return frame;
        }
        int end = frame.length - 1;
        while (end >= 0 && Character.isWhitespace(frame[end])) {
            end--;
        }
        if (end < 1 || frame[end] != '}') {
            return frame;
        }
        int before = end - 1;
        while (before >= 0 && Character.isWhitespace(frame[before])) {
            before--;
        }
        String comma = before >= 0 && frame[before] == '{' ? "" : ",";
        byte[] field = (comma + "\"position\":\"" + position + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[end + field.length];
        System.arraycopy(frame, 0, out, 0, end);
        System.arraycopy(field, 0, out, end, field.length);
        return out;
    }

    @Override
    public void closeIdle(LocalSession session, Duration idle) {
        session.connection().offer(new ServerMessage.Text(error("IdleTimeout", "no message for "
                + idle.toMillis() / 1000 + " s; send {\"type\":\"ping\"} to keep the connection open")));
        session.connection().close(TIMEOUT, "idle timeout");
    }
}
