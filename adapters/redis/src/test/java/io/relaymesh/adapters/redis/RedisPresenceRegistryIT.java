package io.relaymesh.adapters.redis;

import io.relaymesh.domain.port.PresenceRegistry;
import io.relaymesh.domain.port.contract.PresenceRegistryContract;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealServices.class)
class RedisPresenceRegistryIT extends PresenceRegistryContract {
    private static RedisConnections redis;

    @BeforeAll
    static void connect(RedisServer server) {
        redis = TestRedis.connect(server, RedisPresenceRegistryIT.class);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @Override
    protected PresenceRegistry createRegistry() {
        return new RedisPresenceRegistry(redis);
    }
}
