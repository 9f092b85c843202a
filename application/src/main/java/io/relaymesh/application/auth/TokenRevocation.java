package io.relaymesh.application.auth;

import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.TokenIds;
import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.JwtVerifier;
import io.relaymesh.domain.port.RevocationList;
import io.relaymesh.domain.port.TokenCodec;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Revokes tokens by id ({@code jti}) until they expire: given the id and expiry, or given the token
 * itself, which must verify (an AES token of this server or a JWT it accepts) so that its id and
 * expiry can be trusted. Thread-safe.
 */
public final class TokenRevocation {
    /** Farther than any token this server issues or should accept; a typo in expires_at stops here. */
    static final Duration MAX_AHEAD = Duration.ofDays(3660);

    /** Outcome of a request. */
    public sealed interface Outcome {
        /** Revoked until {@code expiresAt}; {@code newly} is false when it already was. */
        record Revoked(String tokenId, Instant expiresAt, String kind, boolean newly) implements Outcome {
        }

        /** Nothing to do: the token has expired, so it is refused anyway. */
        record AlreadyExpired(String tokenId, Instant expiresAt) implements Outcome {
        }

        /** The request is invalid; {@code field} names the offending field. */
        record Invalid(String field, String message) implements Outcome {
        }
    }

    private final Supplier<TokenCodec> codec;
    private final Supplier<JwtVerifier> jwt;
    private final RevocationList list;
    private final Clock clock;
    private final TokenMetrics metrics;

    public TokenRevocation(Supplier<TokenCodec> codec, Supplier<JwtVerifier> jwt, RevocationList list, Clock clock,
                           TokenMetrics metrics) {
        this.codec = codec;
        this.jwt = jwt;
        this.list = list;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Revokes {@code tokenId} until {@code expiresAt} (the token's expiry, as the issuer knows it). */
    public Outcome revokeId(String tokenId, Instant expiresAt) {
        String problem = TokenIds.problemWith(tokenId);
        if (problem != null) {
            return new Outcome.Invalid("jti", "jti " + (tokenId == null ? "is required" : problem));
        }
        if (expiresAt == null) {
            return new Outcome.Invalid("expires_at", "expires_at is required (the token's expiry, unix seconds)");
        }
        if (expiresAt.isAfter(clock.now().plus(MAX_AHEAD))) {
            return new Outcome.Invalid("expires_at", "expires_at is more than " + MAX_AHEAD.toDays()
                    + " days ahead; give the token's expiry in unix seconds");
        }
        return revoke(tokenId, expiresAt, "id");
    }

    /** Revokes the token itself: its id and expiry are read from it once it verifies. */
    public Outcome revokeToken(String token) {
        if (token == null || token.isEmpty()) {
            return new Outcome.Invalid("token", "token is required");
        }
        if (JwtVerifier.looksLikeJwt(token)) {
            return switch (jwt.get().verify(token)) {
                case JwtVerifier.Verified.Valid valid -> JwtClaims.isAdmin(valid.claims())
                        ? admin(JwtClaims.admin(valid.claims()))
                        : user(JwtClaims.user(valid.claims()));
                case JwtVerifier.Verified.Invalid invalid -> invalid.reason().equals("expired")
                        ? new Outcome.AlreadyExpired("", clock.now())
                        : new Outcome.Invalid("token", "token is not valid: " + invalid.message());
            };
        }
        TokenCodec.Decoded<UserClaims> asUser = codec.get().decodeUser(token);
        if (asUser instanceof TokenCodec.Decoded.Valid<UserClaims>) {
            return user(asUser);
        }
        TokenCodec.Decoded<AdminClaims> asAdmin = codec.get().decodeAdmin(token);
        if (asAdmin instanceof TokenCodec.Decoded.Valid<AdminClaims>) {
            return admin(asAdmin);
        }
        return new Outcome.Invalid("token", "token is not valid: "
                + ((TokenCodec.Decoded.Invalid<UserClaims>) asUser).reason());
    }

    private Outcome user(TokenCodec.Decoded<UserClaims> decoded) {
        return switch (decoded) {
            case TokenCodec.Decoded.Valid<UserClaims> valid ->
                    withId(valid.claims().tokenId(), valid.claims().expiresAt(), "user");
            case TokenCodec.Decoded.Invalid<UserClaims> invalid ->
                    new Outcome.Invalid("token", "token is not valid: " + invalid.reason());
        };
    }

    private Outcome admin(TokenCodec.Decoded<AdminClaims> decoded) {
        return switch (decoded) {
            case TokenCodec.Decoded.Valid<AdminClaims> valid ->
                    withId(valid.claims().tokenId(), valid.claims().expiresAt(), "admin");
            case TokenCodec.Decoded.Invalid<AdminClaims> invalid ->
                    new Outcome.Invalid("token", "token is not valid: " + invalid.reason());
        };
    }

    private Outcome withId(String tokenId, Instant expiresAt, String kind) {
        if (tokenId.isEmpty()) {
            return new Outcome.Invalid("token", "token has no id (jti): it was issued before tokens carried ids;"
                    + " to cut it off, rotate the key that signed it");
        }
        return revoke(tokenId, expiresAt, kind);
    }

    private Outcome revoke(String tokenId, Instant expiresAt, String kind) {
        if (!expiresAt.isAfter(clock.now())) {
            return new Outcome.AlreadyExpired(tokenId, expiresAt);
        }
        boolean newly = list.revoke(tokenId, expiresAt);
        metrics.revoked(kind);
        return new Outcome.Revoked(tokenId, expiresAt, kind, newly);
    }
}
