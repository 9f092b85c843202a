package io.relaymesh.domain.model;

/**
 * Validation of the identifiers that appear in route keys, session keys, subjects, log lines and
 * client frames. Every entrance (URL, token, frame, JetStream message, HTTP body, pod-to-pod call)
 * goes through these checks, so an id can neither collide with another's key nor forge a log line.
 */
public final class Names {
    /** Longest identifier accepted (company, agent, user, chat, admin and pod ids). */
    public static final int MAX_LENGTH = 128;
    /** Longest event id accepted. */
    public static final int MAX_EVENT_ID_LENGTH = 128;

    private Names() {
    }

    /**
     * Checks that {@code value} can be used as one segment of a key or subject: non-blank, at most
     * {@link #MAX_LENGTH} characters, and free of the separators ':' '.' '*' '>' '/', of
     * whitespace and control characters (a newline would forge a log line), of quotes and
     * backslashes, and of invisible format characters (bidirectional overrides, zero-width
     * characters) and lone surrogates, which make two different ids look the same in a log.
     *
     * @return the value, for use in compact constructors
     * @throws IllegalArgumentException naming {@code field} and the problem
     */
    public static String requireSegment(String field, String value) {
        String problem = problemWith(value);
        if (problem != null) {
            throw new IllegalArgumentException(field + " " + problem);
        }
        return value;
    }

    /** The problem with {@code value} as a key segment, or null when it is fine. */
    public static String problemWith(String value) {
        if (value == null || value.isBlank()) {
            return "must not be empty";
        }
        if (value.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ':' || c == '.' || c == '*' || c == '>' || c == '/' || c == '"' || c == '\\'
                    || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return "must not contain " + describe(c);
            }
            String invisible = invisible(value, i);
            if (invisible != null) {
                return "must not contain " + invisible;
            }
            if (Character.isHighSurrogate(c)) {
                i++; // the pair was checked as one code point
            }
        }
        return null;
    }

    /**
     * Checks an event id: non-blank, at most {@link #MAX_EVENT_ID_LENGTH} characters, only visible
     * ASCII characters other than '"' and '\' (letters, digits and punctuation such as
     * {@code - _ . : / @ + = #}), which covers UUIDs, ULIDs, {@code stream-sequence} ids and
     * {@code Nats-Msg-Id} values, and keeps clients' deduplication keys and log lines plain.
     *
     * @return the value, for use in compact constructors
     * @throws IllegalArgumentException naming the problem
     */
    public static String requireEventId(String value) {
        String problem = eventIdProblem(value);
        if (problem != null) {
            throw new IllegalArgumentException("event_id " + problem);
        }
        return value;
    }

    /** The problem with {@code value} as an event id, or null when it is fine. */
    public static String eventIdProblem(String value) {
        if (value == null || value.isBlank()) {
            return "must not be empty";
        }
        if (value.length() > MAX_EVENT_ID_LENGTH) {
            return "must be at most " + MAX_EVENT_ID_LENGTH + " characters, got " + value.length();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c > '~' || c == '"' || c == '\\') {
                return "must contain only visible ASCII characters other than '\"' and '\\', found "
                        + describe(c);
            }
        }
        return null;
    }

    /**
     * A form of an untrusted id fit for a log line or error message: at most 64 characters, with
     * anything that is not visible ASCII replaced by '?'.
     */
    public static String printable(String value) {
        if (value == null) {
            return "(none)";
        }
        int length = Math.min(value.length(), 64);
        StringBuilder out = new StringBuilder(length + 16);
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            out.append(c > ' ' && c <= '~' ? c : '?');
        }
        if (value.length() > length) {
            out.append("…(").append(value.length()).append(" chars)");
        }
        return out.toString();
    }

    private static String invisible(String value, int index) {
        int codePoint = value.codePointAt(index);
        int type = Character.getType(codePoint);
        if (type == Character.FORMAT) {
            return "an invisible format character (U+" + String.format("%04X", codePoint) + ")";
        }
        if (type == Character.SURROGATE) {
            return "a lone surrogate";
        }
        return null;
    }

    private static String describe(char c) {
        if (Character.isWhitespace(c)) {
            return "whitespace";
        }
        if (Character.isISOControl(c) || c > '~') {
            return "U+" + String.format("%04X", (int) c);
        }
        return "'" + c + "'";
    }
}
