package io.relaymesh.adapters.redis;

import io.relaymesh.adapters.redis.RedisConnections.Retry;
import io.relaymesh.domain.port.TokenCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.params.SetParams;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Validated token claims in Redis, shared by all pods: {@code {prefix}token:{hash}} holds the
 * claims as type-tagged JSON ({@link ClaimsJson}) with a {@code PX} TTL. The caller passes a hash
 * of the token, never the token. A lookup with the other claims type, or of an entry this version
 * cannot read, is a miss. Each method is one round trip. Thread-safe: it keeps no state of its own.
 */
public final class RedisTokenCache implements TokenCache {
    static final String PORT = "token_cache";
    private static final Logger LOG = LoggerFactory.getLogger(RedisTokenCache.class);

    private final RedisConnections redis;

    public RedisTokenCache(RedisConnections redis) {
        this.redis = Objects.requireNonNull(redis, "redis");
    }

    @Override
    public <T> Optional<T> get(String tokenHash, Class<T> type) {
        Objects.requireNonNull(tokenHash, "token hash");
        Objects.requireNonNull(type, "type");
        String json = redis.call(PORT, "get token", Retry.ON_STALE_CONNECTION, client -> client.get(redisKey(tokenHash)));
        if (json == null) {
            return Optional.empty();
        }
        Optional<T> claims = ClaimsJson.decode(json, type);
        if (claims.isEmpty()) {
            LOG.debug("token cache entry is not {} claims; treated as a miss", type.getSimpleName());
        }
        return claims;
    }

    /** A non-positive TTL (a token whose life is already over) caches nothing. */
    @Override
    public void put(String tokenHash, Object claims, Duration ttl) {
        Objects.requireNonNull(tokenHash, "token hash");
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            return;
        }
        long ttlMillis = Ttls.positiveMillis(ttl);
        String json = ClaimsJson.encode(claims);
        redis.call(PORT, "put token", Retry.ON_STALE_CONNECTION,
                client -> client.set(redisKey(tokenHash), json, SetParams.setParams().px(ttlMillis)));
    }

    private String redisKey(String tokenHash) {
        return redis.settings().key("token:" + tokenHash);
    }
}
