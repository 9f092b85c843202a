package io.relaymesh.adapters.web.dialect.topics;

import io.relaymesh.application.dialect.Handshake;
import io.relaymesh.domain.model.Names;
import io.relaymesh.domain.port.JwtVerifier;

import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Who a topics consumer is: a JWT from {@code ?token=}, an {@code Authorization: Bearer} header, or
 * (browsers, which cannot set headers) the subprotocols {@code bearer, <jwt>}; verified by the
 * shared JWT verifier ({@code auth.jwt_*}); the user is {@code user_id} or else {@code sub}.
 * Thread-safe.
 */
final class TopicsAuth {
    /** The subprotocol that says the next offered one is a token. */
    static final String BEARER_SUBPROTOCOL = "bearer";

    sealed interface Result {
        record Ok(String user, Instant validUntil) implements Result {
        }

        record Refused(String code, String message) implements Result {
        }
    }

    private final Supplier<JwtVerifier> jwt;

    TopicsAuth(Supplier<JwtVerifier> jwt) {
        this.jwt = jwt;
    }

    /** The token a socket presented, or null. */
    static String token(Handshake handshake) {
        String query = handshake.queryParam("token").orElse(null);
        if (query != null && !query.isBlank()) {
            return query;
        }
        String bearer = bearer(handshake.header("authorization").orElse(null));
        if (bearer != null) {
            return bearer;
        }
        String offered = handshake.header("sec-websocket-protocol").orElse("");
        String[] protocols = offered.split(",");
        for (int i = 0; i + 1 < protocols.length; i++) {
            if (protocols[i].strip().equalsIgnoreCase(BEARER_SUBPROTOCOL)) {
                return protocols[i + 1].strip();
            }
        }
        return null;
    }

    /** The token of an {@code Authorization: Bearer …} header value, or null. */
    static String bearer(String header) {
        if (header == null || header.length() < 7 || !header.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        String token = header.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    Result verify(String token) {
        if (token == null) {
            return new Result.Refused("Unauthorized", "a JWT is required: ?token=<jwt>, Authorization: Bearer <jwt>, "
                    + "or the subprotocols \"bearer\", \"<jwt>\"");
        }
        return switch (jwt.get().verify(token)) {
            case JwtVerifier.Verified.Invalid invalid -> new Result.Refused("InvalidToken", invalid.message());
            case JwtVerifier.Verified.Valid valid -> {
                var claims = valid.claims();
                String user = claims.text("user_id").or(() -> claims.text("sub")).orElse(null);
                if (user == null) {
                    yield new Result.Refused("InvalidToken", "the JWT names no user (sub or user_id)");
                }
                String problem = Names.problemWith(user);
                yield problem != null ? new Result.Refused("InvalidToken", "the JWT's user " + problem)
                        : new Result.Ok(user, claims.validUntil());
            }
        };
    }
}
