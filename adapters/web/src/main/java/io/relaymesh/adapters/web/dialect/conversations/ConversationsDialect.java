package io.relaymesh.adapters.web.dialect.conversations;

import com.fasterxml.jackson.databind.JsonNode;
import io.relaymesh.application.dialect.Admission;
import io.relaymesh.application.dialect.Dialect;
import io.relaymesh.application.dialect.DialectSession;
import io.relaymesh.application.dialect.DialectSessions;
import io.relaymesh.application.dialect.Handshake;
import io.relaymesh.application.dialect.conversations.ChatAuthentication;
import io.relaymesh.application.dialect.conversations.ChatUser;
import io.relaymesh.application.dialect.conversations.Conversations;
import io.relaymesh.application.dialect.conversations.ConversationsSettings;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.connection.ServerMessage;
import io.relaymesh.domain.model.Envelope;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The chat gateway protocol of seed 003 on {@code /conversations/ws}, or on {@code /ws} with a
 * first frame {@code auth}: a JWT in the first frame, then subscribe/unsubscribe, typing, ping and
 * (an addition) presence queries. Frames over {@code max_message_bytes} close the connection with
 * 1009; malformed frames get an error frame and the connection stays. Thread-safe.
 */
public final class ConversationsDialect implements Dialect {
    private final String path;
    private final ConversationsSettings settings;
    private final ChatAuthentication authentication;
    private final Conversations conversations;
    private final Supplier<DialectSessions> sessions;
    private final Supplier<AutoCloseable> inbound;
    private volatile AutoCloseable running;

    /**
     * @param inbound starts the dialect's inbound adapters (Pub/Sub) once the server listens;
     *                what it returns is closed when the server stops
     */
    public ConversationsDialect(String path, ConversationsSettings settings, ChatAuthentication authentication,
                                Conversations conversations, Supplier<DialectSessions> sessions,
                                Supplier<AutoCloseable> inbound) {
        this.path = path;
        this.settings = settings;
        this.authentication = authentication;
        this.conversations = conversations;
        this.sessions = sessions;
        this.inbound = inbound;
    }

    @Override
    public String name() {
        return "conversations";
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String firstFrameType() {
        return "auth";
    }

    @Override
    public Duration firstFrameTimeout() {
        return settings.authTimeout();
    }

    @Override
    public String resumedReply(String reply, boolean recovered) {
        return ConversationFrames.resumed(reply, recovered);
    }

    @Override
    public String firstFrameMissing(Duration waited) {
        return ConversationFrames.error("AuthTimeout", "no auth frame within " + waited.toSeconds() + " s");
    }

    @Override
    public Admission admit(Handshake handshake, String firstFrame) {
        if (firstFrame == null) {
            return new Admission.AwaitFirstFrame();
        }
        if (tooLarge(firstFrame)) {
            return new Admission.Refused(ConversationFrames.error("MessageTooLarge", "frames are limited to "
                    + settings.maxMessageBytes() + " bytes"), ConversationFrames.TOO_LARGE, "message too large");
        }
        JsonNode frame = ConversationFrames.parse(firstFrame);
        if (frame == null || !"auth".equals(frame.path("type").asText())) {
            return new Admission.Refused(ConversationFrames.error("AuthRequired",
                    "the first frame must be {\"type\":\"auth\",\"payload\":{\"token\":\"<JWT>\"}}"),
                    ConversationFrames.AUTH_REQUIRED, "auth required");
        }
        JsonNode token = frame.path("payload").path("token");
        return switch (authentication.authenticate(token.isTextual() ? token.asText() : null)) {
            case ChatAuthentication.Result.Rejected rejected -> new Admission.Refused(
                    ConversationFrames.error("InvalidToken", rejected.message()), ConversationFrames.INVALID_TOKEN,
                    "invalid token");
            case ChatAuthentication.Result.Accepted accepted -> {
                ChatUser user = accepted.user();
                // An addition: payload.since (a position) resumes the user's own frames (users.{id}).
                JsonNode since = frame.path("payload").path("since");
                yield new Admission.Admitted(user, List.of(user.baseRoute()),
                        ConversationFrames.authSuccess(user.userId(), user.sessionId()),
                        since.isTextual() ? since.asText() : null);
            }
        };
    }

    @Override
    public void onFrame(DialectSession dialectSession, String text) {
        LocalSession session = dialectSession.session();
        conversations.seen(session);
        if (tooLarge(text)) {
            session.connection().offer(new ServerMessage.Text(ConversationFrames.error("MessageTooLarge",
                    "frames are limited to " + settings.maxMessageBytes() + " bytes")));
            session.connection().close(ConversationFrames.TOO_LARGE, "message too large");
            return;
        }
        JsonNode frame = ConversationFrames.parse(text);
        if (frame == null) {
            reply(session, ConversationFrames.error("BadRequest", "a frame must be a JSON object with a type"));
            return;
        }
        JsonNode payload = frame.path("payload");
        String type = frame.path("type").asText("");
        switch (type) {
            case "ping" -> reply(session, ConversationFrames.pong());
            case "subscribe" -> {
                List<String> ids = ids(payload.path("conversation_ids"));
                if (ids == null) {
                    reply(session, ConversationFrames.error("BadRequest", "payload.conversation_ids must be a list of strings"));
                    return;
                }
                String since = payload.path("since").isTextual() ? payload.path("since").asText() : null;
                if (since != null) {
                    // Resuming (an addition): what the conversations missed follows subscribed, before live messages.
                    session.connection().beginReplay();
                }
                Conversations.Subscribed result;
                try {
                    result = conversations.subscribe(session, ids);
                } catch (RuntimeException e) {
                    if (since != null) {
                        session.connection().endReplay(List.of());
                    }
                    throw e;
                }
                if (!result.refused().isEmpty()) {
                    reply(session, ConversationFrames.error("Forbidden", String.join("; ", result.refused().values())));
                }
                if (since == null) {
                    reply(session, ConversationFrames.ids("subscribed", result.joined()));
                } else {
                    io.relaymesh.application.connection.Gateway.Replayed replayed = sessions.get().replay(session,
                            result.joined().stream().map(io.relaymesh.application.dialect.conversations.ConversationKeys::conversation)
                                    .toList(), since);
                    reply(session, ConversationFrames.resumed(ConversationFrames.ids("subscribed", result.joined()),
                            replayed.recovered()));
                    session.connection().endReplay(replayed.frames());
                }
            }
            case "unsubscribe" -> {
                List<String> ids = ids(payload.path("conversation_ids"));
                if (ids == null) {
                    reply(session, ConversationFrames.error("BadRequest", "payload.conversation_ids must be a list of strings"));
                    return;
                }
                reply(session, ConversationFrames.ids("unsubscribed", conversations.unsubscribe(session, ids)));
            }
            case "typing" -> {
                String problem = conversations.typing(session, payload.path("conversation_id").asText(""));
                if (problem != null) {
                    reply(session, ConversationFrames.error("BadRequest", problem));
                }
            }
            case "presence.query" -> {
                String conversation = payload.path("conversation_id").asText("");
                List<String> users = payload.has("user_ids") ? ids(payload.path("user_ids")) : List.of();
                if (users == null) {
                    reply(session, ConversationFrames.error("BadRequest", "payload.user_ids must be a list of strings"));
                    return;
                }
                Conversations.PresenceAnswer answer = conversations.presence(session, conversation, users);
                reply(session, answer.problem() != null ? ConversationFrames.error("BadRequest", answer.problem())
                        : ConversationFrames.presenceState(conversation, answer.online()));
            }
            case "auth" -> reply(session, ConversationFrames.error("BadRequest", "already authenticated"));
            default -> reply(session, ConversationFrames.error("BadRequest", type.isEmpty()
                    ? "a frame needs a string \"type\"" : "unknown type \"" + type
                    + "\"; expected ping, subscribe, unsubscribe, typing or presence.query"));
        }
    }

    @Override
    public byte[] render(Envelope envelope) {
        return ConversationFrames.render(envelope);
    }

    @Override
    public void start() {
        conversations.start();
        running = inbound.get();
    }

    @Override
    public void stop() {
        AutoCloseable current = running;
        if (current != null) {
            try {
                current.close();
            } catch (Exception e) {
                java.util.logging.Logger.getLogger(ConversationsDialect.class.getName())
                        .warning("conversations inbound adapter did not close: " + e);
            }
        }
        conversations.close();
    }

    private void reply(LocalSession session, String frame) {
        sessions.get().send(session, frame);
    }

    private boolean tooLarge(String text) {
        return text.length() > settings.maxMessageBytes()
                || text.getBytes(StandardCharsets.UTF_8).length > settings.maxMessageBytes();
    }

    /** A JSON list of strings, or null when it is anything else. */
    private static List<String> ids(JsonNode list) {
        if (!list.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode id : list) {
            if (!id.isTextual()) {
                return null;
            }
            out.add(id.asText());
        }
        return out;
    }
}
