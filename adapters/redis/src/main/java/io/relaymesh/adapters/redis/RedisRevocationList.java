package io.relaymesh.adapters.redis;

import io.relaymesh.adapters.redis.RedisConnections.Retry;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.RevocationList;
import redis.clients.jedis.params.SetParams;

import java.time.Instant;
import java.util.Objects;

/**
 * Revoked token ids in Redis, shared by all pods: one key {@code {prefix}revoked:{jti}} per id with
 * a {@code PX} TTL of the token's remaining life, so Redis forgets it when the token expires. Each
 * method is one round trip. Thread-safe: it keeps no state of its own.
 */
public final class RedisRevocationList implements RevocationList {
    static final String PORT = "revocation_list";

    private final RedisConnections redis;
    private final Clock clock;

    public RedisRevocationList(RedisConnections redis, Clock clock) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean revoke(String tokenId, Instant expiresAt) {
        Objects.requireNonNull(tokenId, "token id");
        Objects.requireNonNull(expiresAt, "expires at");
        long ttlMillis = expiresAt.toEpochMilli() - clock.millis();
        if (ttlMillis <= 0) {
            return false;
        }
        String key = redisKey(tokenId);
        // SET NX tells whether the id is new; when it was already there, GT-style extension keeps the
        // longer of the two lifetimes (PEXPIRE GT needs Redis 7; a second call is rare, so two trips are fine).
        String set = redis.call(PORT, "revoke token", Retry.ON_STALE_CONNECTION,
                client -> client.set(key, "1", SetParams.setParams().nx().px(ttlMillis)));
        if ("OK".equals(set)) {
            return true;
        }
        redis.call(PORT, "extend revocation", Retry.ON_STALE_CONNECTION, client -> {
            long left = client.pttl(key);
            return left >= 0 && left < ttlMillis ? client.pexpire(key, ttlMillis) : 0L;
        });
        return false;
    }

    @Override
    public boolean isRevoked(String tokenId) {
        Objects.requireNonNull(tokenId, "token id");
        return redis.call(PORT, "check revocation", Retry.ON_STALE_CONNECTION, client -> client.exists(redisKey(tokenId)));
    }

    private String redisKey(String tokenId) {
        return redis.settings().key("revoked:" + tokenId);
    }
}
