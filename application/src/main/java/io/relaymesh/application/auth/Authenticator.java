package io.relaymesh.application.auth;

import io.relaymesh.application.connection.Principal;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.application.metrics.GatewayMetrics.Kind;
import io.relaymesh.application.settings.GatewaySettings;
import io.relaymesh.domain.error.ErrorCode;
import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.Clock;
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
 * Authenticates connections: API key first (constant-time), then the token (cache, else decrypt),
 * then expiry and, for users, that the token is for the company/agent in the URL. Thread-safe.
 */
public final class Authenticator {
    private static final Logger LOG = Logger.getLogger(Authenticator.class.getName());
    private final Supplier<ApiKeys> keys;
    private final Supplier<TokenCodec> codec;
    private final TokenCache cache;
    private final Clock clock;
    private final Supplier<GatewaySettings> settings;
    private final GatewayMetrics metrics;

    public Authenticator(Supplier<ApiKeys> keys, Supplier<TokenCodec> codec, TokenCache cache, Clock clock,
                         Supplier<GatewaySettings> settings, GatewayMetrics metrics) {
        this.keys = keys;
        this.codec = codec;
        this.cache = cache;
        this.clock = clock;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** A user connection on {@code /ws/{company}/{agent}}. */
    public AuthResult authenticateUser(String apiKey, String token, String company, String agent) {
        if (socketKey(Kind.user, apiKey) instanceof ApiKeys.SocketKey.Refused refused) {
            return refuse(Kind.user, ErrorCode.InvalidAPIKey, refused.message());
        }
        if (token == null || token.isEmpty()) {
            return refuse(Kind.user, ErrorCode.InvalidToken, "token is missing: pass it as the token query parameter");
        }
        Decoded<UserClaims> decoded = decode(token, UserClaims.class, t -> codec.get().decodeUser(t));
        if (decoded instanceof Decoded.Bad<UserClaims> bad) {
            return refuse(Kind.user, ErrorCode.InvalidToken, bad.reason());
        }
        UserClaims claims = ((Decoded.Good<UserClaims>) decoded).claims();
        if (isExpired(claims.expiresAt())) {
            return refuse(Kind.user, ErrorCode.InvalidToken, "token expired at " + claims.expiresAt());
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
        Decoded<AdminClaims> decoded = decode(token, AdminClaims.class, t -> codec.get().decodeAdmin(t));
        if (decoded instanceof Decoded.Bad<AdminClaims> bad) {
            return refuse(Kind.admin, ErrorCode.InvalidToken, bad.reason());
        }
        AdminClaims claims = ((Decoded.Good<AdminClaims>) decoded).claims();
        if (isExpired(claims.expiresAt())) {
            return refuse(Kind.admin, ErrorCode.InvalidToken, "token expired at " + claims.expiresAt());
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
