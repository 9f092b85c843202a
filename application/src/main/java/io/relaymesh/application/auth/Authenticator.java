package io.relaymesh.application.auth;

import io.relaymesh.application.connection.Principal;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.application.metrics.GatewayMetrics.Kind;
import io.relaymesh.application.settings.GatewaySettings;
import io.relaymesh.application.connection.ErrorCode;
import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.JwtVerifier;
import io.relaymesh.domain.port.RevocationList;
import io.relaymesh.domain.port.TokenCache;
import io.relaymesh.domain.port.TokenCodec;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Authenticates connections: API key first (constant-time), then the token (cache, else decrypt an
 * AES token or verify a JWT), then expiry, revocation (checked on every connect, cached claims or
 * not, so a revoked token is refused at once) and, for users, that the token is for the
 * company/agent in the URL. Thread-safe.
 */
public final class Authenticator {
    private static final Logger LOG = Logger.getLogger(Authenticator.class.getName());
    private final Supplier<ApiKeys> keys;
    private final Supplier<TokenCodec> codec;
    private final TokenCache cache;
    private final Clock clock;
    private final Supplier<GatewaySettings> settings;
    private final GatewayMetrics metrics;
    private final Supplier<JwtVerifier> jwt;
    private final RevocationList revocations;
    private final TokenMetrics tokenMetrics;

    /**
     * @param jwt         verifies JWTs (a holder: a reload may bring new keys); {@link JwtVerifier#DISABLED} refuses all
     * @param revocations revoked token ids, consulted on every connect
     */
    public Authenticator(Supplier<ApiKeys> keys, Supplier<TokenCodec> codec, TokenCache cache, Clock clock,
                         Supplier<GatewaySettings> settings, GatewayMetrics metrics, Supplier<JwtVerifier> jwt,
                         RevocationList revocations, TokenMetrics tokenMetrics) {
        this.keys = keys;
        this.codec = codec;
        this.cache = cache;
        this.clock = clock;
        this.settings = settings;
        this.metrics = metrics;
        this.jwt = jwt;
        this.revocations = revocations;
        this.tokenMetrics = tokenMetrics;
    }

    /** AES tokens only, nothing revoked: for tests of the seed's behaviour. */
    public Authenticator(Supplier<ApiKeys> keys, Supplier<TokenCodec> codec, TokenCache cache, Clock clock,
                         Supplier<GatewaySettings> settings, GatewayMetrics metrics) {
        this(keys, codec, cache, clock, settings, metrics, () -> JwtVerifier.DISABLED, NOTHING_REVOKED,
                TokenMetrics.NONE);
    }

    private static final RevocationList NOTHING_REVOKED = new RevocationList() {
        @Override
        public boolean revoke(String tokenId, Instant expiresAt) {
            throw new UnsupportedOperationException("this authenticator has no revocation list");
        }

        @Override
        public boolean isRevoked(String tokenId) {
            return false;
        }
    };

    /** A user connection on {@code /ws/{company}/{agent}}. */
    public AuthResult authenticateUser(String apiKey, String token, String company, String agent) {
        if (socketKey(Kind.user, apiKey) instanceof ApiKeys.SocketKey.Refused refused) {
            return refuse(Kind.user, ErrorCode.InvalidAPIKey, refused.message());
        }
        if (token == null || token.isEmpty()) {
            return refuse(Kind.user, ErrorCode.InvalidToken, "token is missing: pass it as the token query parameter");
        }
        Decoded<UserClaims> decoded = decode(token, UserClaims.class,
                t -> JwtVerifier.looksLikeJwt(t) ? viaJwt(t, JwtClaims::user) : codec.get().decodeUser(t));
        if (decoded instanceof Decoded.Bad<UserClaims> bad) {
            return refuse(Kind.user, ErrorCode.InvalidToken, bad.reason());
        }
        UserClaims claims = ((Decoded.Good<UserClaims>) decoded).claims();
        if (isExpired(claims.expiresAt())) {
            tokenMetrics.refused("expired");
            return refuse(Kind.user, ErrorCode.InvalidToken, "token expired at " + claims.expiresAt());
        }
        AuthResult revoked = revocation(Kind.user, claims.tokenId());
        if (revoked != null) {
            return revoked;
        }
        if (!claims.companyId().equals(company) || !claims.agentId().equals(agent)) {
            return refuse(Kind.user, ErrorCode.InvalidToken,
                    "token is for company/agent " + claims.companyId() + "/" + claims.agentId()
                            + ", not " + company + "/" + agent);
        }
        metrics.authSucceeded(Kind.user);
        return new AuthResult.Authenticated(new Principal.User(claims));
    }

    /** An admin connection on {@code /ws/admin}. */
    public AuthResult authenticateAdmin(String apiKey, String token) {
        if (socketKey(Kind.admin, apiKey) instanceof ApiKeys.SocketKey.Refused refused) {
            return refuse(Kind.admin, ErrorCode.InvalidAPIKey, refused.message());
        }
        if (token == null || token.isEmpty()) {
            return refuse(Kind.admin, ErrorCode.InvalidToken, "token is missing: pass it as the token query parameter");
        }
        Decoded<AdminClaims> decoded = decode(token, AdminClaims.class,
                t -> JwtVerifier.looksLikeJwt(t) ? viaJwt(t, JwtClaims::admin) : codec.get().decodeAdmin(t));
        if (decoded instanceof Decoded.Bad<AdminClaims> bad) {
            return refuse(Kind.admin, ErrorCode.InvalidToken, bad.reason());
        }
        AdminClaims claims = ((Decoded.Good<AdminClaims>) decoded).claims();
        if (isExpired(claims.expiresAt())) {
            tokenMetrics.refused("expired");
            return refuse(Kind.admin, ErrorCode.InvalidToken, "token expired at " + claims.expiresAt());
        }
        AuthResult revoked = revocation(Kind.admin, claims.tokenId());
        if (revoked != null) {
            return revoked;
        }
        metrics.authSucceeded(Kind.admin);
        return new AuthResult.Authenticated(new Principal.Admin(claims));
    }

    /** The key check of a socket; a server key, accepted or not, is counted so its users can be found. */
    private ApiKeys.SocketKey socketKey(Kind kind, String apiKey) {
        ApiKeys.SocketKey result = keys.get().checkSocket(apiKey, kind == Kind.admin);
        switch (result) {
            case ApiKeys.SocketKey.Accepted accepted when accepted.serverKey() -> metrics.serverKeyOnSocket(kind, true);
            case ApiKeys.SocketKey.Refused refused when refused.serverKey() -> metrics.serverKeyOnSocket(kind, false);
            default -> { }
        }
        return result;
    }

    /** Whether a token that expires at {@code expiresAt} is no longer valid now. */
    public boolean isExpired(Instant expiresAt) {
        return !clock.now().isBefore(expiresAt);
    }

    /** A refusal when {@code tokenId} is revoked or cannot be checked; null when the token may go on. */
    private AuthResult revocation(Kind kind, String tokenId) {
        if (tokenId.isEmpty()) {
            return null;
        }
        boolean revoked;
        try {
            revoked = revocations.isRevoked(tokenId);
        } catch (RuntimeException e) {
            // Fail closed: a token that may be revoked is not let in because the list is unreachable.
            LOG.log(Level.WARNING, "revocation list unavailable; connection refused", e);
            tokenMetrics.refused("revocation_unavailable");
            return refuse(kind, ErrorCode.InternalServerError,
                    "cannot check whether the token is revoked right now; try again");
        }
        if (revoked) {
            tokenMetrics.refused("revoked");
            return refuse(kind, ErrorCode.InvalidToken, "token has been revoked");
        }
        return null;
    }

    /** Verifies a JWT, then reads the claims of the expected kind out of it. */
    private <T> TokenCodec.Decoded<T> viaJwt(String token, Function<JwtVerifier.Claims, TokenCodec.Decoded<T>> read) {
        return switch (jwt.get().verify(token)) {
            case JwtVerifier.Verified.Valid valid -> {
                TokenCodec.Decoded<T> claims = read.apply(valid.claims());
                if (claims instanceof TokenCodec.Decoded.Invalid<T>) {
                    tokenMetrics.refused("jwt_claims");
                }
                yield claims;
            }
            case JwtVerifier.Verified.Invalid invalid -> {
                tokenMetrics.refused("jwt_" + invalid.reason());
                yield new TokenCodec.Decoded.Invalid<>(invalid.message());
            }
        };
    }

    private sealed interface Decoded<T> {
        record Good<T>(T claims) implements Decoded<T> {
        }

        record Bad<T>(String reason) implements Decoded<T> {
        }
    }

    private <T> Decoded<T> decode(String token, Class<T> type, Function<String, TokenCodec.Decoded<T>> decoder) {
        // The cache key includes the claims type so a user token can never be read as an admin one.
        String hash = type.getSimpleName() + ":" + TokenHashes.sha256(token);
        Optional<T> cached = cachedClaims(hash, type);
        if (cached.isPresent()) {
            return new Decoded.Good<>(cached.get());
        }
        return switch (decoder.apply(token)) {
            case TokenCodec.Decoded.Valid<T> valid -> {
                Duration ttl = settings.get().tokenCacheTtl();
                if (!ttl.isZero()) {
                    cacheClaims(hash, valid.claims(), ttl);
                }
                yield new Decoded.Good<>(valid.claims());
            }
            case TokenCodec.Decoded.Invalid<T> invalid -> new Decoded.Bad<>(invalid.reason());
        };
    }

    /** The cache only saves work: when it is unreachable, tokens are decrypted instead. */
    private <T> Optional<T> cachedClaims(String hash, Class<T> type) {
        try {
            return cache.get(hash, type);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "token cache unavailable; decrypting the token instead", e);
            return Optional.empty();
        }
    }

    private void cacheClaims(String hash, Object claims, Duration ttl) {
        try {
            cache.put(hash, claims, ttl);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "token cache unavailable; claims not cached", e);
        }
    }

    private AuthResult refuse(Kind kind, ErrorCode code, String message) {
        metrics.authFailed(kind, code);
        return new AuthResult.Refused(code, message);
    }
}
