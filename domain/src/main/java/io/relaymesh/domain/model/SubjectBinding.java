package io.relaymesh.domain.model;


import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One form of inbound subject and the route keys its envelopes go to, configured by a dialect:
 * a pattern of dot-separated tokens where {@code {name}} captures one validated segment, and
 * route key templates that use the captures (e.g. {@code topics.{name}} →
 * {@code topic:{name}}). Captures become the envelope's attributes, so a dialect can
 * filter or render by them. Which messages a consumer starts from ({@link Start}) and which stream
 * holds the subjects are part of the binding, because the broker adapter provisions one durable
 * consumer per binding.
 *
 * @param name      the binding's name, unique, part of the durable consumer's name (e.g. {@code chats})
 * @param stream    which stream holds these subjects
 * @param pattern   the subject pattern
 * @param audience  route key templates
 * @param start     where a new consumer starts
 */
public record SubjectBinding(String name, Stream stream, String pattern, List<String> audience, Start start) {

    /** Where a new durable consumer starts. */
    public enum Start {
        /** Every retained message. */
        ALL,
        /** The last retained message of each subject (e.g. a chat's latest state). */
        LAST_PER_SUBJECT
    }

    /** Which stream a binding's subjects live in (DESIGN.md: the primary stream and the dialects' stream). */
    public enum Stream { PRIMARY, DIALECTS }

    /** A subject matched: the audience and the captured attributes. */
    public record Match(SubjectBinding binding, List<RouteKey> audience, Map<String, String> attributes) {
    }

    public SubjectBinding {
        Names.requireSegment("binding name", name);
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(start, "start");
        audience = List.copyOf(audience);
        if (audience.isEmpty()) {
            throw new IllegalArgumentException("binding " + name + " needs at least one route key template");
        }
        List<String> captures = captures(pattern);
        for (String template : audience) {
            for (String part : template.split(":", -1)) {
                if (part.startsWith("{") && !captures.contains(part.substring(1, part.length() - 1))) {
                    throw new IllegalArgumentException("binding " + name + ": template " + template
                            + " uses " + part + ", which the pattern " + pattern + " does not capture");
                }
            }
        }
    }

    /** The pattern with every capture as a NATS wildcard, e.g. {@code topics.*}. */
    public String filterSubject() {
        StringBuilder out = new StringBuilder();
        for (String token : pattern.split("\\.", -1)) {
            out.append(out.isEmpty() ? "" : ".").append(isCapture(token) ? "*" : token);
        }
        return out.toString();
    }

    /**
     * Matches {@code subject}: null when its form is not this binding's; else the audience, or an
     * exception naming the segment that is not a valid name.
     *
     * @throws IllegalArgumentException when the form matches but a captured segment is invalid
     */
    public Match match(String subject) {
        return match(subject, subject.split("\\.", -1));
    }

    /** {@link #match(String)} with the subject already split at its dots (once for every binding). */
    Match match(String subject, String[] parts) {
        String[] tokens = split(pattern, "\\.");
        if (parts.length != tokens.length) {
            return null;
        }
        Map<String, String> captured = new LinkedHashMap<>();
        for (int i = 0; i < tokens.length; i++) {
            if (isCapture(tokens[i])) {
                captured.put(tokens[i].substring(1, tokens[i].length() - 1), parts[i]);
            } else if (!tokens[i].equals(parts[i])) {
                return null;
            }
        }
        for (Map.Entry<String, String> capture : captured.entrySet()) {
            String problem = Names.problemWith(capture.getValue());
            if (problem != null) {
                throw new IllegalArgumentException("subject '" + Names.printable(subject) + "' has an invalid "
                        + capture.getKey() + " (" + problem + ")");
            }
        }
        List<RouteKey> keys = new ArrayList<>(audience.size());
        for (String template : audience) {
            StringBuilder key = new StringBuilder();
            for (String part : split(template, ":")) {
                key.append(key.isEmpty() ? "" : ":")
                        .append(part.startsWith("{") ? captured.get(part.substring(1, part.length() - 1)) : part);
            }
            keys.add(new RouteKey(key.toString()));
        }
        return new Match(this, List.copyOf(keys), captured);
    }

    /**
     * The subjects (a NATS filter: {@code *} for a capture the key does not fix) of this binding's
     * messages that go to {@code key}, or null when none of its templates makes such a key. The
     * inverse of {@link #match}: what a client joined to {@code key} missed is on this filter.
     */
    public String filterFor(RouteKey key) {
        String[] keyParts = key.value().split(":", -1);
        for (String template : audience) {
            String[] parts = split(template, ":");
            if (parts.length != keyParts.length) {
                continue;
            }
            Map<String, String> captured = new java.util.HashMap<>();
            boolean fits = true;
            for (int i = 0; i < parts.length && fits; i++) {
                if (isCapture(parts[i])) {
                    String previous = captured.putIfAbsent(parts[i].substring(1, parts[i].length() - 1), keyParts[i]);
                    fits = previous == null || previous.equals(keyParts[i]);
                } else {
                    fits = parts[i].equals(keyParts[i]);
                }
            }
            if (!fits) {
                continue;
            }
            StringBuilder subject = new StringBuilder();
            for (String token : split(pattern, "\\.")) {
                subject.append(subject.isEmpty() ? "" : ".")
                        .append(isCapture(token) ? captured.getOrDefault(token.substring(1, token.length() - 1), "*")
                                : token);
            }
            return subject.toString();
        }
        return null;
    }

    /** Patterns and templates split once: they are few, and matched for every inbound message. */
    private static final java.util.concurrent.ConcurrentHashMap<String, String[]> SPLIT =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static String[] split(String text, String separator) {
        return SPLIT.computeIfAbsent(separator + text, k -> text.split(separator, -1));
    }

    private static boolean isCapture(String token) {
        return token.length() > 2 && token.startsWith("{") && token.endsWith("}");
    }

    private static List<String> captures(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        List<String> names = new ArrayList<>();
        for (String token : pattern.split("\\.", -1)) {
            if (token.isEmpty()) {
                throw new IllegalArgumentException("pattern " + pattern + " has an empty token");
            }
            if (isCapture(token)) {
                names.add(token.substring(1, token.length() - 1));
            }
        }
        return names;
    }
}
