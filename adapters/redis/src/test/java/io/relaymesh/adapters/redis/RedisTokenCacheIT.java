package io.relaymesh.adapters.redis;

import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.TokenCache;
import io.relaymesh.domain.port.contract.TokenCacheContract;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(RealServices.class)
class RedisTokenCacheIT extends TokenCacheContract {
    private static RedisConnections redis;
    private static RedisClient raw;

    @BeforeAll
    static void connect(RedisServer server) {
        redis = TestRedis.connect(server, RedisTokenCacheIT.class);
        raw = TestRedis.raw(server);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
        raw.close();
    }

    @Override
    protected TokenCache createCache() {
        return new RedisTokenCache(redis);
    }

    @Test
    void entry_isTypeTaggedJsonUnderTheHash_withTtl() {
        RedisTokenCache cache = new RedisTokenCache(redis);
        UserClaims claims = new UserClaims("acme", "agent", "u1", Instant.parse("2031-05-01T12:00:00Z"));

        cache.put("abc123", claims, Duration.ofSeconds(10));

        String redisKey = redis.settings().keyPrefix() + "token:abc123";
        assertEquals("{\"type\":\"user\",\"company_id\":\"acme\",\"agent_id\":\"agent\",\"user_id\":\"u1\","
                + "\"expires_at\":\"2031-05-01T12:00:00Z\"}", raw.get(redisKey));
        assertTrue(raw.pttl(redisKey) > 5_000);
    }

    @Test
    void unreadableEntry_isAMiss() {
        RedisTokenCache cache = new RedisTokenCache(redis);
        raw.set(redis.settings().keyPrefix() + "token:garbled", "{not json");
        raw.set(redis.settings().keyPrefix() + "token:incomplete", "{\"type\":\"admin\",\"admin_id\":\"a1\"}");

        assertEquals(Optional.empty(), cache.get("garbled", UserClaims.class));
        assertEquals(Optional.empty(), cache.get("incomplete", AdminClaims.class));
    }
}
