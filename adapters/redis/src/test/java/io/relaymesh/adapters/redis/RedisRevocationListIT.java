package io.relaymesh.adapters.redis;

import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.RevocationList;
import io.relaymesh.domain.port.contract.RevocationListContract;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(RealServices.class)
class RedisRevocationListIT extends RevocationListContract {
    private static RedisConnections redis;
    private static RedisClient raw;

    @BeforeAll
    static void connect(RedisServer server) {
        redis = TestRedis.connect(server, RedisRevocationListIT.class);
        raw = TestRedis.raw(server);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
        raw.close();
    }

    @Override
    protected RevocationList createList() {
        return new RedisRevocationList(redis, Clock.SYSTEM);
    }

    @Test
    void revokedId_isOneKeyWhoseTtlIsTheTokensRemainingLife() {
        new RedisRevocationList(redis, Clock.SYSTEM).revoke("jti-ttl-check", Instant.now().plusSeconds(100));

        long ttl = raw.pttl(redis.settings().keyPrefix() + "revoked:jti-ttl-check");
        assertTrue(ttl > 90_000 && ttl <= 100_000, "pttl " + ttl);
    }
}
