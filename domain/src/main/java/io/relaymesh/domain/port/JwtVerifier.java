package io.relaymesh.domain.port;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies a JSON Web Token and hands back its claims: the signature with a configured key and an
 * allowed algorithm, {@code exp} (required), {@code nbf}, and the configured issuer and audience,
 * with the configured clock-skew leeway. What the claims mean is the caller's business, so every
 * kind of client (primary users and admins, dialects with {@code sub}-only tokens) can share it.
 * Thread-safe.
 */
public interface JwtVerifier {

    /** Outcome of a verification. */
    sealed interface Verified {
        /** A token that passed every check, with its claims. */
        record Valid(Claims claims) implements Verified {
        }

        /**
         * A refused token. {@code reason} is a short label for metrics ({@code signature},
         * {@code algorithm}, {@code expired}, …); {@code message} is safe to show to the client.
         */
        record Invalid(String reason, String message) implements Verified {
        }
    }

    /**
     * The claims of a verified token. {@code exp}, {@code nbf} and {@code iat} are {@link Instant}s;
     * other values are what JSON gives: String, Boolean, Number, List, Map. {@code validUntil} is
     * {@code exp} plus the clock-skew leeway: the moment the token stops being accepted.
     */
    record Claims(Map<String, Object> values, Instant validUntil) {
        public Claims {
            values = Map.copyOf(values);
            java.util.Objects.requireNonNull(validUntil, "validUntil");
        }

        /** A claim that is a string, if present and a string. */
        public Optional<String> text(String name) {
            return values.get(name) instanceof String s ? Optional.of(s) : Optional.empty();
        }

        /** Whether the claim is present with a value that is not a string. */
        public boolean hasNonText(String name) {
            Object value = values.get(name);
            return value != null && !(value instanceof String);
        }

        /** {@code exp}: required by every verifier, so present on valid tokens. */
        public Instant expiresAt() {
            return (Instant) values.get("exp");
        }

        /** The token's id ({@code jti}), or "" when it has none. */
        public String tokenId() {
            return text("jti").orElse("");
        }

        /** The audiences ({@code aud}, a string or a list of strings). */
        public List<String> audience() {
            return switch (values.get("aud")) {
                case String s -> List.of(s);
                case List<?> list -> list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
                case null, default -> List.of();
            };
        }
    }

    /** Verifies {@code token}; never throws for a bad token. */
    Verified verify(String token);

    /** Whether any key is configured; without one every JWT is refused. */
    boolean enabled();

    /**
     * Whether {@code token} has the shape of a compact JWS (three base64url parts separated by
     * dots), so that it is checked as a JWT rather than as an AES token (whose alphabet has no dot).
     */
    static boolean looksLikeJwt(String token) {
        if (token == null) {
            return false;
        }
        int first = token.indexOf('.');
        return first > 0 && token.indexOf('.', first + 1) > first;
    }

    /** A verifier with no key: every JWT is refused with a message saying so. */
    JwtVerifier DISABLED = new JwtVerifier() {
        @Override
        public Verified verify(String token) {
            return new Verified.Invalid("disabled", "JWTs are not accepted by this server");
        }

        @Override
        public boolean enabled() {
            return false;
        }
    };
}
