package io.relaymesh.domain.model;


import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every inbound binding of every enabled dialect: turns a subject and its payload into an
 * {@link Envelope}, or says why it cannot. Immutable and thread-safe.
 */
public final class SubjectBindings {

    /** A subject resolved, or why not. */
    public sealed interface Resolved {
        record Ok(SubjectBinding.Match match) implements Resolved {
        }

        record Invalid(String reason) implements Resolved {
        }
    }

    private final List<SubjectBinding> bindings;
    private final String expected;

    public SubjectBindings(List<SubjectBinding> bindings) {
        this.bindings = List.copyOf(bindings);
        Set<String> names = new HashSet<>();
        for (SubjectBinding binding : this.bindings) {
            if (!names.add(binding.name())) {
                throw new IllegalArgumentException("two inbound bindings are named " + binding.name());
            }
        }
        this.expected = "expected " + this.bindings.stream().map(SubjectBinding::pattern)
                .collect(Collectors.joining(", ", "", ""));
    }

    public List<SubjectBinding> all() {
        return bindings;
    }

    /** Every subject filter whose messages go to {@code key} (see {@link SubjectBinding#filterFor}), each once. */
    public List<String> filtersFor(RouteKey key) {
        java.util.LinkedHashSet<String> filters = new java.util.LinkedHashSet<>();
        for (SubjectBinding binding : bindings) {
            String filter = binding.filterFor(key);
            if (filter != null) {
                filters.add(filter);
            }
        }
        return List.copyOf(filters);
    }

    public List<SubjectBinding> in(SubjectBinding.Stream stream) {
        return bindings.stream().filter(b -> b.stream() == stream).toList();
    }

    /** The binding for {@code subject} and its audience. */
    public Resolved resolve(String subject) {
        if (subject == null || subject.isBlank()) {
            return new Resolved.Invalid("subject is missing; " + expected);
        }
        String[] parts = subject.split("\\.", -1);
        for (SubjectBinding binding : bindings) {
            try {
                SubjectBinding.Match match = binding.match(subject, parts);
                if (match != null) {
                    return new Resolved.Ok(match);
                }
            } catch (IllegalArgumentException e) {
                return new Resolved.Invalid(e.getMessage() + "; " + expected);
            }
        }
        return new Resolved.Invalid("subject '" + Names.printable(subject) + "' is not valid; " + expected);
    }

    /** An envelope for a resolved subject; the subject and the captures become its attributes. */
    public static Envelope envelope(SubjectBinding.Match match, String subject, String id, byte[] payload,
                                    long publishedAtMillis) {
        return envelope(match, subject, id, payload, publishedAtMillis, null);
    }

    /** As above, with its position in the history it came from (null: none). */
    public static Envelope envelope(SubjectBinding.Match match, String subject, String id, byte[] payload,
                                    long publishedAtMillis, String position) {
        Map<String, String> attributes = new HashMap<>(match.attributes());
        attributes.put(Envelope.SUBJECT, subject);
        if (position != null) {
            attributes.put(Envelope.POSITION, position);
        }
        return new Envelope(id, match.audience(), payload, attributes, publishedAtMillis);
    }
}
