package io.relaymesh.adapters.redis;

import io.relaymesh.domain.model.LatencySummary;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.PodStats;
import io.relaymesh.domain.port.PodStatsBoard;
import io.relaymesh.domain.port.contract.PodStatsBoardContract;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(RealServices.class)
class RedisPodStatsBoardIT extends PodStatsBoardContract {
    private static RedisConnections redis;
    private static RedisClient raw;

    @BeforeAll
    static void connect(RedisServer server) {
        redis = TestRedis.connect(server, RedisPodStatsBoardIT.class);
        raw = TestRedis.raw(server);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
        raw.close();
    }

    @Override
    protected PodStatsBoard createBoard() {
        return new RedisPodStatsBoard(redis);
    }

    @Test
    void publish_storesOneKeyPerPod_withItsTtl() {
        PodId pod = newPod();
        new RedisPodStatsBoard(redis).publish(stats(pod), Duration.ofSeconds(5));

        String key = redis.settings().keyPrefix() + "pod_stats:" + pod.value();
        assertTrue(raw.get(key).contains("\"pod_id\":\"" + pod.value() + "\""), raw.get(key));
        long ttl = raw.pttl(key);
        assertTrue(ttl > 4_000 && ttl <= 5_000, "ttl " + ttl);
    }

    @Test
    void read_ofManyPods_isOneRoundTrip() {
        RedisPodStatsBoard board = new RedisPodStatsBoard(redis);
        List<PodId> pods = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            PodId pod = newPod();
            board.publish(stats(pod), Duration.ofSeconds(30));
            pods.add(pod);
        }

        long before = redis.roundTrips();
        assertEquals(20, board.read(pods).size());
        assertEquals(1, redis.roundTrips() - before);
    }

    @Test
    void unreadableStats_areLeftOut_notFatal() {
        PodId broken = newPod();
        PodId fine = newPod();
        raw.set(redis.settings().keyPrefix() + "pod_stats:" + broken.value(), "{not json");
        RedisPodStatsBoard board = new RedisPodStatsBoard(redis);
        board.publish(stats(fine), Duration.ofSeconds(30));

        assertEquals(Map.of(fine, stats(fine)), board.read(List.of(broken, fine)));
    }

    private static PodStats stats(PodId pod) {
        return new PodStats(pod, "10.0.0.1:50051", 1, 2, 3, 4, 5, 6, 7, 8, new LatencySummary(1, 2, 3, 4, 5), 9, 10);
    }

    private static PodId newPod() {
        return new PodId("pod-" + UUID.randomUUID().toString().substring(0, 8));
    }
}
