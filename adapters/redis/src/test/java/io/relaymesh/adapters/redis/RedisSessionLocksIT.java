package io.relaymesh.adapters.redis;

import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.SessionLocks;
import io.relaymesh.domain.port.SessionLocks.Acquisition;
import io.relaymesh.domain.port.contract.SessionLocksContract;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(RealServices.class)
class RedisSessionLocksIT extends SessionLocksContract {
    private static final Duration LONG = Duration.ofSeconds(30);

    private static RedisServer server;
    private static RedisConnections redis;
    private static RedisClient raw;

    @BeforeAll
    static void connect(RedisServer redisServer) {
        server = redisServer;
        redis = TestRedis.connect(server, RedisSessionLocksIT.class);
        raw = TestRedis.raw(server);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
        raw.close();
    }

    @Override
    protected SessionLocks createLocks() {
        return new RedisSessionLocks(redis);
    }

    @Test
    void lock_isStoredUnderPrefixedSessionKey_asEncodedOwnerWithTtl() {
        RedisSessionLocks locks = new RedisSessionLocks(redis);
        SessionKey key = newKey();
        SessionOwner owner = newOwner();

        locks.acquire(key, owner, LONG);

        String redisKey = redis.settings().keyPrefix() + key.value();
        assertEquals(owner.encode(), raw.get(redisKey));
        long ttl = raw.pttl(redisKey);
        assertTrue(ttl > 25_000 && ttl <= 30_000, "PTTL " + ttl);
    }

    @Test
    void staleOwner_cannotReleaseOrRefreshOrTakeOverLockItLost() {
        RedisSessionLocks locks = new RedisSessionLocks(redis);
        SessionKey key = newKey();
        SessionOwner stale = newOwner();
        SessionOwner current = newOwner();
        locks.acquire(key, stale, Duration.ofMillis(200));
        pause(Duration.ofMillis(400));
        assertEquals(new Acquisition.Acquired(), locks.acquire(key, current, LONG));

        assertFalse(locks.release(key, stale), "the Lua owner check must refuse a stale owner's release");
        assertFalse(locks.refresh(key, stale, LONG), "the Lua owner check must refuse a stale owner's refresh");
        assertFalse(locks.takeOver(key, stale, newOwner(), LONG), "the Lua owner check must refuse a take-over from a stale owner");
        assertEquals(Set.of(key), locks.refreshAll(Map.of(key, stale), LONG));

        assertEquals(Optional.of(current), locks.owner(key));
        assertEquals(current.encode(), raw.get(redis.settings().keyPrefix() + key.value()));
    }

    @Test
    void refreshAll_of10000Locks_isOneRoundTrip_andReportsTheLostOnes() {
        RedisSessionLocks locks = new RedisSessionLocks(redis);
        SessionOwner pod = newOwner();
        Map<SessionKey, SessionOwner> held = new HashMap<>();
        Set<SessionKey> takenByOthers = new HashSet<>();
        try (Pipeline setup = raw.pipelined()) {
            for (int i = 0; i < 10_000; i++) {
                SessionKey key = newKey();
                held.put(key, pod);
                boolean takenOver = i % 1_000 == 0;
                SessionOwner holder = takenOver ? newOwner() : pod;
                if (takenOver) {
                    takenByOthers.add(key);
                }
                setup.set(redis.settings().keyPrefix() + key.value(), holder.encode(), SetParams.setParams().px(60_000));
            }
            setup.sync();
        }
        locks.refreshAll(Map.of(newKey(), pod), LONG); // warms the script cache and the pool

        long before = redis.roundTrips();
        long start = System.nanoTime();
        Set<SessionKey> lost = locks.refreshAll(held, Duration.ofSeconds(90));
        long micros = (System.nanoTime() - start) / 1_000;
        long roundTrips = redis.roundTrips() - before;

        System.out.printf("[relaymesh-bench] session refreshAll of %d locks: %d round trip(s), %.1f ms%n",
                held.size(), roundTrips, micros / 1000.0);
        assertEquals(1, roundTrips);
        assertEquals(takenByOthers, lost);
        SessionKey kept = held.keySet().stream().filter(key -> !takenByOthers.contains(key)).findFirst().orElseThrow();
        assertTrue(raw.pttl(redis.settings().keyPrefix() + kept.value()) > 60_000, "refreshAll must extend the TTL");
    }

    @Test
    void scripts_surviveScriptFlush_byFallingBackToEval() {
        RedisSessionLocks locks = new RedisSessionLocks(redis);
        SessionKey key = newKey();
        SessionKey other = newKey();
        SessionOwner owner = newOwner();
        locks.acquire(key, owner, LONG);
        locks.acquire(other, owner, LONG);
        assertTrue(locks.refresh(key, owner, LONG));

        raw.scriptFlush();
        long before = redis.roundTrips();
        assertTrue(locks.refresh(key, owner, LONG), "refresh must work after SCRIPT FLUSH");
        assertEquals(2, redis.roundTrips() - before, "NOSCRIPT costs one EVAL once");
        before = redis.roundTrips();
        assertTrue(locks.refresh(key, owner, LONG));
        assertEquals(1, redis.roundTrips() - before, "the EVAL cached the script again");

        raw.scriptFlush();
        assertEquals(Set.of(), locks.refreshAll(Map.of(key, owner, other, owner), LONG));
        raw.scriptFlush();
        assertTrue(locks.takeOver(key, owner, newOwner(), LONG));
        raw.scriptFlush();
        assertTrue(locks.release(other, owner));
    }

    @Test
    void acquireAndRelease_areOneRoundTripEach() {
        RedisSessionLocks locks = new RedisSessionLocks(redis);
        SessionKey key = newKey();
        SessionOwner owner = newOwner();
        locks.release(newKey(), owner); // warms the script cache

        long before = redis.roundTrips();
        locks.acquire(key, owner, LONG);
        assertEquals(1, redis.roundTrips() - before);
        before = redis.roundTrips();
        locks.acquire(key, newOwner(), LONG);
        assertEquals(1, redis.roundTrips() - before, "a held lock names its holder in the same round trip");
        before = redis.roundTrips();
        assertTrue(locks.release(key, owner));
        assertEquals(1, redis.roundTrips() - before);
    }

    private static SessionKey newKey() {
        return new SessionKey("session:c-" + shortId() + ":agent:u-" + shortId());
    }

    private static SessionOwner newOwner() {
        return new SessionOwner(new PodId("pod-" + shortId()), new ConnectionId("conn-" + shortId()));
    }

    private static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
