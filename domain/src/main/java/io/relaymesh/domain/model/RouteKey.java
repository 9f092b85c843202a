package io.relaymesh.domain.model;

import java.util.List;
import java.util.Objects;

/**
 * A key that connections register under and events are routed by:
 * {@code agent:{company}:{agent}}, {@code chat:{company}:{agent}:{chat}} or
 * {@code admin:{company}:{agent}} where company and agent may be {@code *} (all).
 */
public record RouteKey(String value) {
    public static final String ANY = "*";

    public RouteKey {
        Objects.requireNonNull(value, "route key");
        if (!(value.startsWith("agent:") || value.startsWith("chat:") || value.startsWith("admin:"))) {
            throw new IllegalArgumentException("route key must start with agent:, chat: or admin:, got: " + value);
        }
    }

    public static RouteKey agent(String company, String agent) {
        return new RouteKey("agent:" + Names.requireSegment("company_id", company) + ":"
                + Names.requireSegment("agent_id", agent));
    }

    public static RouteKey chat(String company, String agent, String chat) {
        return new RouteKey("chat:" + Names.requireSegment("company_id", company) + ":"
                + Names.requireSegment("agent_id", agent) + ":" + Names.requireSegment("chat_id", chat));
    }

    /** An admin subscription; an empty or null company/agent means all ({@code *}). */
    public static RouteKey admin(String company, String agent) {
        return new RouteKey("admin:" + anyIfEmpty("subscribed_company_id", company) + ":"
                + anyIfEmpty("subscribed_agent_id", agent));
    }

    /** The four admin keys an {@code agents} event for company/agent is delivered to. */
    public static List<RouteKey> adminAudience(String company, String agent) {
        return List.of(admin(company, agent), admin(company, ANY), admin(ANY, agent), admin(ANY, ANY));
    }

    private static String anyIfEmpty(String field, String value) {
        if (value == null || value.isEmpty() || value.equals(ANY)) {
            return ANY;
        }
        return Names.requireSegment(field, value);
    }

    @Override
    public String toString() {
        return value;
    }
}
