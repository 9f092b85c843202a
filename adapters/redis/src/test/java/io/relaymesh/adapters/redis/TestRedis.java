package io.relaymesh.adapters.redis;

import io.relaymesh.testkit.RedisServer;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.UUID;

/** Connections for integration tests: each test class gets a key prefix of its own, so classes sharing one Redis never meet. */
final class TestRedis {
    private TestRedis() {
    }

    static RedisSettings settings(RedisServer server, Class<?> testClass) {
        return RedisSettings.of(server.host(), server.port())
                .withKeyPrefix("it:" + testClass.getSimpleName() + ":" + UUID.randomUUID().toString().substring(0, 8) + ":");
    }

    static RedisConnections connect(RedisServer server, Class<?> testClass) {
        return new RedisConnections(settings(server, testClass));
    }

    static RedisConnections connect(RedisServer server, Class<?> testClass, Duration timeout) {
        return new RedisConnections(settings(server, testClass).withTimeout(timeout).withPool(8, timeout));
    }

    /** A plain client to look at (or tamper with) what the adapters stored. */
    static RedisClient raw(RedisServer server) {
        return RedisClient.create(server.host(), server.port());
    }
}
