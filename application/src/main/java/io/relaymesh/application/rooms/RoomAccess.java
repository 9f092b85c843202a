package io.relaymesh.application.rooms;

import io.relaymesh.domain.port.JwtVerifier;
import io.relaymesh.domain.port.RevocationList;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Who may join which topic. With {@code auth_required} off (the seed's behaviour) anyone may join
 * any topic and tokens are ignored. On, a join needs a JWT (verified like every JWT of the server:
 * {@code auth.jwt_secret} / {@code auth.jwks_*}, issuer, audience, expiry, revocation by {@code jti})
 * whose {@value #TOPICS} claim names the topic (a string or a list; {@code "*"} is any topic). A
 * {@value #PEER_ID} claim, when present, is the only peer id the token may join as. Thread-safe.
 */
final class RoomAccess {
    /** The claim naming the topics a token may join. */
    static final String TOPICS = "topics";
    /** The claim naming the peer id a token must join as. */
    static final String PEER_ID = "peer_id";

    /** The outcome of a check. */
    sealed interface Decision {
        /** May join; {@code peerId} is the token's (null when it names none); the right lapses at {@code validUntil}. */
        record Granted(String peerId, Instant validUntil) implements Decision {
        }

        /** May not: {@code message} is for the client, {@code reason} a metric label. */
        record Denied(String message, String reason) implements Decision {
        }
    }

    private final Supplier<RoomsSettings> settings;
    private final Supplier<JwtVerifier> verifier;
    private final RevocationList revocations;

    RoomAccess(Supplier<RoomsSettings> settings, Supplier<JwtVerifier> verifier, RevocationList revocations) {
        this.settings = settings;
        this.verifier = verifier;
        this.revocations = revocations;
    }

    Decision check(String token, String topic, String peerId) {
        if (!settings.get().authRequired()) {
            return new Decision.Granted(null, Instant.MAX);
        }
        if (token == null || token.isEmpty()) {
            return new Decision.Denied("this server needs a token to join: a JWT whose \"" + TOPICS
                    + "\" claim names the topic, in the join's \"token\" field, ?token= or Authorization: Bearer",
                    "missing");
        }
        JwtVerifier.Verified verified;
        try {
            verified = verifier.get().verify(token);
        } catch (RuntimeException e) {
            return new Decision.Denied("the token could not be checked now; try again", "unavailable");
        }
        if (verified instanceof JwtVerifier.Verified.Invalid invalid) {
            return new Decision.Denied(invalid.message(), invalid.reason());
        }
        JwtVerifier.Claims claims = ((JwtVerifier.Verified.Valid) verified).claims();
        if (!allows(claims.values().get(TOPICS), topic)) {
            return new Decision.Denied("the token does not allow this topic (its \"" + TOPICS + "\" claim)", "topic");
        }
        if (claims.hasNonText(PEER_ID)) {
            return new Decision.Denied("the token's \"" + PEER_ID + "\" claim must be a string", "claims");
        }
        String bound = claims.text(PEER_ID).orElse(null);
        if (bound != null && peerId != null && !bound.equals(peerId)) {
            return new Decision.Denied("the token allows only peerId " + bound, "peer_id");
        }
        String jti = claims.tokenId();
        try {
            if (!jti.isEmpty() && revocations.isRevoked(jti)) {
                return new Decision.Denied("the token was revoked", "revoked");
            }
        } catch (RuntimeException e) {
            return new Decision.Denied("the token could not be checked now; try again", "unavailable");
        }
        return new Decision.Granted(bound, claims.validUntil());
    }

    private static boolean allows(Object claim, String topic) {
        return switch (claim) {
            case String one -> one.equals(topic) || one.equals("*");
            case List<?> many -> many.contains(topic) || many.contains("*");
            case null, default -> false;
        };
    }
}
