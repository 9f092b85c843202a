package io.relaymesh.application.dialect.conversations;

import io.relaymesh.domain.model.RouteKey;

/**
 * The dialect's route keys ({@code conv:{id}}, {@code user:{id}}) and the attributes of the
 * envelopes it makes, which its codec renders (DESIGN.md, "Dialects").
 */
public final class ConversationKeys {
    public static final String CONVERSATION = "conv";
    public static final String USER = "user";

    /** Attribute: what an envelope made by the dialect carries (one of the KIND_ values). */
    public static final String KIND = "kind";
    /** A conversation participant is typing ({@link #STATE} start or stop). */
    public static final String KIND_TYPING = "typing";
    /** A user's presence changed ({@link #STATUS} online or offline). */
    public static final String KIND_PRESENCE = "presence";
    /** The payload is a whole client frame, passed on verbatim. */
    public static final String KIND_FRAME = "frame";
    public static final String STATE = "state";
    public static final String STATUS = "status";
    /** Attribute (also the capture of the {@code conversations.{conversation_id}} subject). */
    public static final String CONVERSATION_ID = "conversation_id";
    /** Attribute (also the capture of the {@code users.{user_id}} subject). */
    public static final String USER_ID = "user_id";

    private ConversationKeys() {
    }

    public static RouteKey conversation(String id) {
        return RouteKey.of(CONVERSATION, id);
    }

    public static RouteKey user(String id) {
        return RouteKey.of(USER, id);
    }
}
