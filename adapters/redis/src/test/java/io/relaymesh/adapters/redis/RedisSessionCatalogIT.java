package io.relaymesh.adapters.redis;

import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.Listing;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.SessionCatalog.HeldSession;
import io.relaymesh.domain.port.contract.SessionCatalogContract;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(RealServices.class)
class RedisSessionCatalogIT extends SessionCatalogContract {
    private static RedisServer server;
    private static RedisConnections redis;
    private static RedisClient raw;

    @BeforeAll
    static void connect(RedisServer redisServer) {
        server = redisServer;
        redis = TestRedis.connect(server, RedisSessionCatalogIT.class);
        raw = TestRedis.raw(server);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
        raw.close();
    }

    @Override
    protected Store createStore() {
        RedisSessionLocks locks = new RedisSessionLocks(redis);
        return new Store(locks, locks);
    }

    @Test
    void list_seesOnlyTheConfiguredKeyPrefix_evenOneWithGlobCharacters() {
        String company = "co-" + UUID.randomUUID().toString().substring(0, 8);
        String globby = "it:[glob]*?:" + UUID.randomUUID().toString().substring(0, 8) + ":";
        try (RedisConnections mine = new RedisConnections(TestRedis.settings(server, getClass()).withKeyPrefix(globby));
             RedisConnections other = new RedisConnections(TestRedis.settings(server, getClass())
                     .withKeyPrefix("it:globXY:" + UUID.randomUUID().toString().substring(0, 8) + ":"))) {
            SessionOwner owner = new SessionOwner(new PodId("pod-a"), new ConnectionId("c1"));
            new RedisSessionLocks(mine).acquire(SessionKey.user(company, "agent", "mine"), owner, Duration.ofSeconds(30));
            new RedisSessionLocks(other).acquire(SessionKey.user(company, "agent", "other"), owner, Duration.ofSeconds(30));

            Listing<HeldSession> listing = new RedisSessionLocks(mine).list(key -> key.value().contains(company), 10);

            assertEquals(List.of(new HeldSession(SessionKey.user(company, "agent", "mine"), owner)), listing.items());
        }
    }

    @Test
    void list_ofThousandsOfSessions_keepsThePage_countsAll_andStaysWithinItsRoundTrips() {
        String company = "co-" + UUID.randomUUID().toString().substring(0, 8);
        String value = new SessionOwner(new PodId("pod-a"), new ConnectionId("c1")).encode();
        try (Pipeline pipeline = raw.pipelined()) {
            for (int i = 0; i < 3_000; i++) {
                pipeline.psetex(redis.settings().keyPrefix() + SessionKey.user(company, "agent", "u" + (10_000 + i)).value(),
                        30_000, value);
            }
            pipeline.sync();
        }
        RedisSessionLocks locks = new RedisSessionLocks(redis);

        long before = redis.roundTrips();
        Listing<HeldSession> listing = locks.list(key -> key.value().contains(company), 500);
        long roundTrips = redis.roundTrips() - before;

        assertEquals(500, listing.items().size());
        assertEquals(SessionKey.user(company, "agent", "u10000"), listing.items().getFirst().key());
        assertEquals(3_000, listing.total());
        assertTrue(listing.truncated());
        assertTrue(roundTrips <= KeyScan.MAX_CALLS + 1, roundTrips + " round trips");
    }
}
