package io.relaymesh.domain.model;

/** Validation of the identifiers that appear in route keys, session keys and subjects. */
public final class Names {
    /** Longest identifier accepted (company, agent, user, chat, admin ids). */
    public static final int MAX_LENGTH = 128;

    private Names() {
    }

    /**
     * Checks that {@code value} can be used as one segment of a key or subject: non-blank, at most
     * {@link #MAX_LENGTH} characters, and free of the separators ':' '.' '*' '>' and whitespace,
     * which would let one id collide with another's key.
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
            if (c == ':' || c == '.' || c == '*' || c == '>' || c == '/' || Character.isWhitespace(c)
                    || Character.isISOControl(c)) {
                return "must not contain '" + (Character.isWhitespace(c) ? "whitespace" : String.valueOf(c)) + "'";
            }
        }
        return null;
    }
}
