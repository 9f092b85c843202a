package io.relaymesh.application.dialect.conversations;

import io.relaymesh.application.connection.Principal;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.domain.model.Names;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionKey;

import java.time.Instant;
import java.util.Set;

/**
 * A user of the conversations dialect: one of possibly many connections of {@code userId}, known
 * by its {@code sessionId}, joined to {@code user:{userId}}. {@code conversations} is what the
 * token lets it join: null for any. Immutable.
 */
public record ChatUser(String userId, String sessionId, Set<String> conversations, Instant expiresAt)
        implements Principal {

    public ChatUser {
        Names.requireSegment("user_id", userId);
        Names.requireSegment("session_id", sessionId);
        conversations = conversations == null ? null : Set.copyOf(conversations);
    }

    public boolean mayJoin(String conversationId) {
        return conversations == null || conversations.contains(conversationId);
    }

    @Override
    public SessionKey sessionKey() {
        return new SessionKey("session:conversations:" + sessionId);
    }

    @Override
    public RouteKey baseRoute() {
        return ConversationKeys.user(userId);
    }

    /** A user may hold many connections at once (tabs, devices): no session lock. */
    @Override
    public boolean exclusive() {
        return false;
    }

    @Override
    public GatewayMetrics.Kind kind() {
        return GatewayMetrics.Kind.user;
    }
}
