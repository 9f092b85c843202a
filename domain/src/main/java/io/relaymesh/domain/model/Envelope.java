package io.relaymesh.domain.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the core delivers, whatever the wire protocol: an id (clients deduplicate by it), the route
 * keys of its audience, opaque payload bytes that only the audience's dialect interprets,
 * attributes (small strings a dialect needs to render or filter, e.g. the subject it came from),
 * the publish time in epoch milliseconds (for latency) and optionally one connection not to
 * deliver to (a client relaying to its own room). Immutable: the payload array is never changed
 * after construction, by convention of every caller.
 */
public record Envelope(String id, List<RouteKey> audience, byte[] payload, Map<String, String> attributes,
                       long publishedAtMillis, ConnectionId exclude) {
    /** The attribute naming the subject an envelope was published on, when it came from one. */
    public static final String SUBJECT = "subject";
    /**
     * The attribute holding the envelope's position in its history ({@code <epoch>:<sequence>},
     * see {@code EventHistory}), when it has one; clients resume from it.
     */
    public static final String POSITION = "position";

    public Envelope {
        // Entrances check first to answer with the reason; this keeps a forgotten one safe.
        Names.requireEventId(id);
        audience = List.copyOf(Objects.requireNonNull(audience, "audience"));
        if (audience.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one route key");
        }
        Objects.requireNonNull(payload, "payload");
        attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
    }

    public Envelope(String id, List<RouteKey> audience, byte[] payload, Map<String, String> attributes,
                    long publishedAtMillis) {
        this(id, audience, payload, attributes, publishedAtMillis, null);
    }

    /** The same envelope with one more attribute (or one replaced). */
    public Envelope withAttribute(String name, String value) {
        Map<String, String> more = new java.util.HashMap<>(attributes);
        more.put(name, value);
        return new Envelope(id, audience, payload, more, publishedAtMillis, exclude);
    }

    /** Its position in its history, or null. */
    public String position() {
        return attributes.get(POSITION);
    }

    /** The payload read as UTF-8 text. */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** An attribute, or null. */
    public String attribute(String name) {
        return attributes.get(name);
    }

    /** The subject it was published on, or "" when it came from elsewhere. */
    public String subject() {
        return attributes.getOrDefault(SUBJECT, "");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Envelope e && e.id.equals(id) && e.audience.equals(audience)
                && Arrays.equals(e.payload, payload) && e.attributes.equals(attributes)
                && e.publishedAtMillis == publishedAtMillis && Objects.equals(e.exclude, exclude);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, audience, Arrays.hashCode(payload), attributes, publishedAtMillis, exclude);
    }

    @Override
    public String toString() {
        return "Envelope[id=" + id + ", audience=" + audience + ", attributes=" + attributes + ", payload="
                + payload.length + " bytes, publishedAtMillis=" + publishedAtMillis
                + (exclude == null ? "" : ", exclude=" + exclude) + "]";
    }
}
