package io.relaymesh.domain.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A key that connections join and envelopes are addressed to: a namespace and one or more
 * segments, {@code namespace:segment[:segment…]}. The namespace says whose key it is (each dialect
 * has its own, e.g. {@code agent}, {@code chat}, {@code admin} for the primary protocol, {@code topic}
 * or {@code room} for others); a segment is a validated name ({@link Names#problemWith}) or
 * {@code *}, which some namespaces use to mean "all". The namespace set is open: a new dialect
 * brings its own without a change here.
 */
public record RouteKey(String value) {
    public static final String ANY = "*";
    /** Longest key accepted (a few segments of {@link Names#MAX_LENGTH}). */
    public static final int MAX_LENGTH = 600;

    public RouteKey {
        Objects.requireNonNull(value, "route key");
        String problem = problemWith(value);
        if (problem != null) {
            throw new IllegalArgumentException("route key " + Names.printable(value) + " " + problem);
        }
    }

    /** A key from its namespace and segments, each validated. */
    public static RouteKey of(String namespace, String... segments) {
        if (segments.length == 0) {
            throw new IllegalArgumentException("route key " + namespace + " needs at least one segment");
        }
        return new RouteKey(namespace + ":" + String.join(":", segments));
    }

    /** What is wrong with {@code value} as a route key, or null. */
    public static String problemWith(String value) {
        if (value == null || value.isEmpty()) {
            return "must not be empty";
        }
        if (value.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        int colon = value.indexOf(':');
        if (colon < 0) {
            return "must be namespace:segment[:segment...]";
        }
        if (!validNamespace(value, colon)) {
            return "has an invalid namespace (lower-case letter, then letters, digits or _, at most 32)";
        }
        // Checked for every envelope built: scanned in place rather than split.
        int start = colon + 1;
        for (int i = 1; ; i++) {
            int end = value.indexOf(':', start);
            String segment = value.substring(start, end < 0 ? value.length() : end);
            if (!segment.equals(ANY)) {
                String problem = Names.problemWith(segment);
                if (problem != null) {
                    return "segment " + i + " " + problem;
                }
            }
            if (end < 0) {
                return null;
            }
            start = end + 1;
        }
    }

    /** {@code [a-z][a-z0-9_]{0,31}} for the first {@code length} characters. */
    private static boolean validNamespace(String value, int length) {
        if (length < 1 || length > 32) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (i > 0 && ((c >= '0' && c <= '9') || c == '_'));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The namespace, e.g. {@code agent}. */
    public String namespace() {
        return value.substring(0, value.indexOf(':'));
    }

    /** The segments after the namespace. */
    public List<String> segments() {
        return new ArrayList<>(Arrays.asList(value.substring(value.indexOf(':') + 1).split(":", -1)));
    }

    // The primary protocol's keys (DESIGN.md, "Route keys"); kept here as named constructors
    // because sessions, tokens and the registry's tests all build them.

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
