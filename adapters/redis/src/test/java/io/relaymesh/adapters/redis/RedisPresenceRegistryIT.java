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

    /** Issue 16's "Redis operations per presence change", counted where they are sent. */
    @org.junit.jupiter.api.Test
    void eachPresenceOperation_isOneRoundTrip_heartbeatsOfATickIncluded() {
        PresenceRegistry presence = createRegistry();
        java.time.Instant now = java.time.Instant.now();
        java.time.Instant expiry = now.plusSeconds(90);
        String user = "rt-" + java.util.UUID.randomUUID();
        // Each script's first call may find Redis without it (NOSCRIPT, then EVAL): not counted.
        presence.connected(new PresenceRegistry.Entry(user + "-warm", "c1", expiry), now);
        presence.disconnected(user + "-warm", "c1", now);
        presence.sweep(now, 1);
        long before = redis.roundTrips();
        presence.connected(new PresenceRegistry.Entry(user, "c1", expiry), now);
        org.junit.jupiter.api.Assertions.assertEquals(1, redis.roundTrips() - before, "connect");
        before = redis.roundTrips();
        presence.joined(user, "g1");
        org.junit.jupiter.api.Assertions.assertEquals(1, redis.roundTrips() - before, "join");
        before = redis.roundTrips();
        java.util.List<PresenceRegistry.Entry> beats = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            beats.add(new PresenceRegistry.Entry(user + "-" + i, "c", expiry));
        }
        presence.renewed(beats, now);
        org.junit.jupiter.api.Assertions.assertEquals(1, redis.roundTrips() - before, "500 heartbeats");
        before = redis.roundTrips();
        presence.sweep(now, 500);
        org.junit.jupiter.api.Assertions.assertEquals(1, redis.roundTrips() - before, "sweep");
        before = redis.roundTrips();
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of("g1"), presence.disconnected(user, "c1", now));
        org.junit.jupiter.api.Assertions.assertEquals(1, redis.roundTrips() - before, "disconnect");
    }
}
