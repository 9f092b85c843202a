package io.relaymesh.adapters.redis;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.domain.port.contract.PodDirectoryContract;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(RealServices.class)
class RedisPodDirectoryIT extends PodDirectoryContract {
    private static RedisConnections redis;
    private static RedisClient raw;

    @BeforeAll
    static void connect(RedisServer server) {
        redis = TestRedis.connect(server, RedisPodDirectoryIT.class);
        raw = TestRedis.raw(server);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
        raw.close();
    }

    @Override
    protected PodDirectory createDirectory() {
        return new RedisPodDirectory(redis);
    }

    @Test
    void heartbeat_storesAddressWithTtl_andIndexesPod_removeDeletesBoth() {
        RedisPodDirectory directory = new RedisPodDirectory(redis);
        PodId pod = new PodId("pod-" + UUID.randomUUID().toString().substring(0, 8));
        String podKey = redis.settings().keyPrefix() + "pod:" + pod.value();
        String index = redis.settings().keyPrefix() + "pods";

        directory.heartbeat(pod, "10.0.0.9:9090", Duration.ofSeconds(10));

        assertEquals("10.0.0.9:9090", raw.get(podKey));
        assertTrue(raw.pttl(podKey) > 5_000);
        assertTrue(raw.zscore(index, pod.value()) > System.currentTimeMillis());
        assertTrue(raw.pttl(index) > 5_000, "the index must expire when every pod is gone");

        directory.remove(pod);

        assertNull(raw.get(podKey));
        assertNull(raw.zscore(index, pod.value()));
        assertFalse(directory.livePods().contains(pod));
    }

    @Test
    void livePods_isOneRoundTrip() {
        RedisPodDirectory directory = new RedisPodDirectory(redis);
        for (int i = 0; i < 20; i++) {
            directory.heartbeat(new PodId("pod-" + i + "-" + UUID.randomUUID().toString().substring(0, 8)), "10.0.0." + i + ":9090",
                    Duration.ofSeconds(10));
        }

        long before = redis.roundTrips();
        assertTrue(directory.livePods().size() >= 20);
        assertEquals(1, redis.roundTrips() - before);
    }
}
