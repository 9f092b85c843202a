package io.relaymesh.adapters.web.dialect.conversations;

import com.fasterxml.jackson.databind.JsonNode;
import io.relaymesh.application.dialect.conversations.ConversationKeys;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConversationFramesTest {

    private static JsonNode rendered(String payload, Map<String, String> attributes) throws Exception {
        Envelope envelope = new Envelope("e1", List.of(RouteKey.of("conv", "c1")),
                payload.getBytes(StandardCharsets.UTF_8), attributes, 0);
        return ConversationFrames.JSON.readTree(ConversationFrames.render(envelope));
    }

    @Test
    void aConversationsSubjectPayload_becomesMessageNewAroundTheUnchangedObject() throws Exception {
        String message = "{\"id\":\"msg-uuid\",\"sender_id\":\"user-uuid\",\"content\":\"Hello! \\\"quoted\\\" é\","
                + "\"created_at\":\"2025-10-27T12:00:00Z\"}";
        assertEquals(ConversationFrames.JSON.readTree("{\"type\":\"message.new\",\"payload\":{\"conversation_id\":\"c1\","
                + "\"message\":" + message + "}}"), rendered(message, Map.of("conversation_id", "c1", "subject", "conversations.c1")));
    }

    @Test
    void typingAndPresence_renderAsTheirFrames_andFramesPassVerbatim() throws Exception {
        assertEquals(ConversationFrames.JSON.readTree("{\"type\":\"typing.stop\",\"payload\":{\"conversation_id\":\"c1\",\"user_id\":\"u1\"}}"),
                rendered("", Map.of(ConversationKeys.KIND, ConversationKeys.KIND_TYPING, ConversationKeys.STATE, "stop",
                        ConversationKeys.CONVERSATION_ID, "c1", ConversationKeys.USER_ID, "u1")));
        assertEquals(ConversationFrames.JSON.readTree("{\"type\":\"presence.update\",\"payload\":{\"user_id\":\"u1\",\"status\":\"offline\"}}"),
                rendered("", Map.of(ConversationKeys.KIND, ConversationKeys.KIND_PRESENCE, ConversationKeys.USER_ID, "u1",
                        ConversationKeys.STATUS, "offline")));
        String frame = "{\"type\":\"conversation.updated\",  \"payload\":{}}";
        Envelope verbatim = new Envelope("e2", List.of(RouteKey.of("user", "u1")), frame.getBytes(StandardCharsets.UTF_8),
                Map.of(ConversationKeys.KIND, ConversationKeys.KIND_FRAME), 0);
        assertEquals(frame, new String(ConversationFrames.render(verbatim), StandardCharsets.UTF_8), "byte for byte");
        Envelope usersSubject = new Envelope("e3", List.of(RouteKey.of("user", "u1")), frame.getBytes(StandardCharsets.UTF_8),
                Map.of("user_id", "u1", "subject", "users.u1"), 0);
        assertEquals(frame, new String(ConversationFrames.render(usersSubject), StandardCharsets.UTF_8));
    }
}
