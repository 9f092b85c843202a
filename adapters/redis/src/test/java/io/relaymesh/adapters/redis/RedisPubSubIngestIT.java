package io.relaymesh.adapters.redis;

import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two pods' ingestion on one Redis: every message reaches both, exactly one takes it; non-frames are dropped. */
@ExtendWith(RealServices.class)
class RedisPubSubIngestIT {
    private static RedisServer server;
    private static RedisConnections redis;

    @BeforeAll
    static void connect(RedisServer given) {
        server = given;
        redis = TestRedis.connect(given, RedisPubSubIngestIT.class);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @Test
    void twoSubscribers_oneTakesEachMessage_andNonFramesAreCountedInvalid() throws Exception {
        String id = UUID.randomUUID().toString();
        Queue<String> taken = new ConcurrentLinkedQueue<>();
        Queue<String> outcomes = new ConcurrentLinkedQueue<>();
        RedisPubSubIngest.Handler handler = (channel, frame) -> {
            if (channel.endsWith(id)) {
                taken.add(frame);
            }
        };
        try (RedisPubSubIngest podA = RedisPubSubIngest.start(redis, List.of("ws:conv:*", "ws:user:*"),
                Duration.ofSeconds(10), handler, outcomes::add);
             RedisPubSubIngest podB = RedisPubSubIngest.start(redis, List.of("ws:conv:*", "ws:user:*"),
                     Duration.ofSeconds(10), handler, outcomes::add);
             RedisClient backend = TestRedis.raw(server)) {
            assertTrue(podA.awaitSubscribed(Duration.ofSeconds(5)) && podB.awaitSubscribed(Duration.ofSeconds(5)));
            for (int i = 0; i < 20; i++) {
                backend.publish("ws:conv:" + id, "{\"type\":\"message.new\",\"n\":" + i + "}");
            }
            backend.publish("ws:user:" + id, "{\"type\":\"notice\"}");
            backend.publish("ws:conv:" + id, "[1,2]");
            backend.publish("ws:conv:" + id, "{\"no\":\"type\"}");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (outcomes.size() < 2 * 23 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(21, taken.size(), "each frame taken once: " + taken);
            assertEquals(21, outcomes.stream().filter("claimed"::equals).count());
            assertEquals(21, outcomes.stream().filter("duplicate"::equals).count());
            assertEquals(4, outcomes.stream().filter("invalid"::equals).count());
        }
    }
}
