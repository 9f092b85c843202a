package io.relaymesh.domain.model;

/**
 * Validation of token ids ({@code jti}): they become Redis keys and appear in admin answers and
 * logs, so they are short printable ASCII without spaces. JWT issuers choose their own ids, so the
 * rule is looser than {@link Names} (':' and '.' are allowed).
 */
public final class TokenIds {
    /** Longest token id accepted; a UUID is 36 characters. */
    public static final int MAX_LENGTH = 128;

    private TokenIds() {
    }

    /** The problem with {@code value} as a token id, or null when it is fine. */
    public static String problemWith(String value) {
        if (value == null || value.isEmpty()) {
            return "must not be empty";
        }
        if (value.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return "must be printable ASCII without spaces";
            }
        }
        return null;
    }

    /**
     * An optional token id: null and "" mean none (returned as ""); anything else must be valid.
     *
     * @throws IllegalArgumentException naming {@code jti} and the problem
     */
    static String optional(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String problem = problemWith(value);
        if (problem != null) {
            throw new IllegalArgumentException("jti " + problem);
        }
        return value;
    }
}
