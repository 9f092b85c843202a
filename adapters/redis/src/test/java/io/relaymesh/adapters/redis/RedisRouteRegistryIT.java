package io.relaymesh.adapters.redis;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.RouteRegistry;
import io.relaymesh.domain.port.contract.RouteRegistryContract;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(RealServices.class)
class RedisRouteRegistryIT extends RouteRegistryContract {
    private static final Duration LONG = Duration.ofSeconds(30);

    private static RedisConnections redis;
    private static RedisClient raw;

    @BeforeAll
    static void connect(RedisServer server) {
        redis = TestRedis.connect(server, RedisRouteRegistryIT.class);
        raw = TestRedis.raw(server);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
        raw.close();
    }

    @Override
    protected RouteRegistry createRegistry() {
        return new RedisRouteRegistry(redis);
    }

    @Test
    void route_isSortedSetOfPodsScoredByExpiry_andKeyOutlivesItsLongestMember() {
        RedisRouteRegistry registry = new RedisRouteRegistry(redis);
        RouteKey key = newKey();
        PodId longLived = newPod();
        PodId shortLived = newPod();
        long before = System.currentTimeMillis();

        registry.register(key, longLived, LONG);
        registry.register(key, shortLived, Duration.ofSeconds(2));

        String redisKey = redis.settings().keyPrefix() + "route:" + key.value();
        double score = raw.zscore(redisKey, longLived.value());
        assertTrue(score >= before + 30_000 && score <= System.currentTimeMillis() + 30_000, "score " + score);
        long ttl = raw.pttl(redisKey);
        assertTrue(ttl > 30_000 && ttl <= 60_000, "a shorter registration must not shorten the key's life: PTTL " + ttl);
    }

    @Test
    void lookup_trimsExpiredMembersFromTheSortedSet() {
        RedisRouteRegistry registry = new RedisRouteRegistry(redis);
        RouteKey key = newKey();
        PodId lapsing = newPod();
        PodId staying = newPod();
        registry.register(key, lapsing, Duration.ofMillis(100));
        registry.register(key, staying, LONG);
        pause(Duration.ofMillis(300));
        String redisKey = redis.settings().keyPrefix() + "route:" + key.value();
        assertEquals(2, raw.zcard(redisKey));

        assertEquals(Map.of(key, Set.of(staying)), registry.lookup(List.of(key)));

        assertEquals(List.of(staying.value()), raw.zrange(redisKey, 0, -1));
    }

    @Test
    void abandonedKey_vanishesFromRedis() {
        RedisRouteRegistry registry = new RedisRouteRegistry(redis);
        RouteKey key = newKey();
        registry.register(key, newPod(), Duration.ofMillis(150));
        String redisKey = redis.settings().keyPrefix() + "route:" + key.value();
        assertTrue(raw.exists(redisKey));

        pause(Duration.ofMillis(600));

        assertFalse(raw.exists(redisKey), "a key nobody refreshes must expire by itself");
    }

    @Test
    void lookupOfManyKeys_isOneRoundTrip() {
        RedisRouteRegistry registry = new RedisRouteRegistry(redis);
        PodId pod = newPod();
        List<RouteKey> keys = IntStream.range(0, 2_000).mapToObj(i -> newKey()).toList();
        registry.refresh(keys.subList(0, 1_000), pod, LONG);

        long before = redis.roundTrips();
        long start = System.nanoTime();
        Map<RouteKey, Set<PodId>> found = registry.lookup(keys);
        long micros = (System.nanoTime() - start) / 1_000;

        System.out.printf("[relaymesh-bench] route lookup of %d keys: %d round trip(s), %.1f ms%n", keys.size(),
                redis.roundTrips() - before, micros / 1000.0);
        assertEquals(1, redis.roundTrips() - before);
        assertEquals(keys.size(), found.size());
        keys.subList(0, 1_000).forEach(key -> assertEquals(Set.of(pod), found.get(key)));
        keys.subList(1_000, 2_000).forEach(key -> assertEquals(Set.of(), found.get(key)));
    }

    @Test
    void refreshOf10000Keys_isOneRoundTrip() {
        RedisRouteRegistry registry = new RedisRouteRegistry(redis);
        PodId pod = newPod();
        List<RouteKey> keys = IntStream.range(0, 10_000).mapToObj(i -> newKey()).toList();
        registry.refresh(keys, pod, LONG);

        long before = redis.roundTrips();
        long start = System.nanoTime();
        registry.refresh(keys, pod, Duration.ofSeconds(60));
        long micros = (System.nanoTime() - start) / 1_000;

        System.out.printf("[relaymesh-bench] route refresh of %d keys: %d round trip(s), %.1f ms%n", keys.size(),
                redis.roundTrips() - before, micros / 1000.0);
        assertEquals(1, redis.roundTrips() - before);
        assertEquals(Set.of(pod), registry.lookup(List.of(keys.get(9_999))).get(keys.get(9_999)));
    }

    @Test
    void registerAndUnregister_areOneRoundTripEach() {
        RedisRouteRegistry registry = new RedisRouteRegistry(redis);
        RouteKey key = newKey();
        PodId pod = newPod();

        long before = redis.roundTrips();
        registry.register(key, pod, LONG);
        assertEquals(1, redis.roundTrips() - before);
        before = redis.roundTrips();
        registry.unregister(key, pod);
        assertEquals(1, redis.roundTrips() - before);
    }

    private static RouteKey newKey() {
        return RouteKey.chat("c-" + shortId(), "agent", "chat-" + shortId());
    }

    private static PodId newPod() {
        return new PodId("pod-" + shortId());
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
