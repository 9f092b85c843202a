package io.relaymesh.bench.cluster;

import io.relaymesh.bench.support.Deadline;
import io.relaymesh.bench.support.Progress;
import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} and {@code nats-server -js} (from the testkit, each stopped by its PID on
 * close) and N pods in cluster mode in this JVM. Closes in reverse order: pods, NATS, Redis.
 * Not thread-safe: started and closed by the benchmark's main thread.
 */
public final class Cluster implements AutoCloseable {
    private final RedisServer redis;
    private final NatsServer nats;
    private final List<Pod> pods = new ArrayList<>();

    private Cluster(RedisServer redis, NatsServer nats) {
        this.redis = redis;
        this.nats = nats;
    }

    public static Cluster start(int podCount, Progress progress) {
        RedisServer redis = RealServices.newRedis();
        NatsServer nats;
        try {
            nats = RealServices.newNats();
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        Cluster cluster = new Cluster(redis, nats);
        try {
            progress.line("redis-server at %s, nats-server at %s", redis.address(), nats.url());
            for (int i = 0; i < podCount; i++) {
                String id = "pod-" + (char) ('a' + i);
                cluster.pods.add(Pod.start(id, redis.address(), nats.url()));
                progress.line("%s started: %s", id, cluster.pods.getLast().http("/"));
            }
            cluster.awaitReady(Deadline.after(Duration.ofSeconds(30)));
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void awaitReady(Deadline deadline) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (Pod pod : pods) {
            int status = -1;
            while (!deadline.passed()) {
                try {
                    status = http.send(HttpRequest.newBuilder(pod.http("/ready")).timeout(Duration.ofSeconds(2)).GET()
                            .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
                } catch (Exception e) {
                    status = -1;
                }
                if (status == 200) {
                    break;
                }
                deadline.sleep(100);
            }
            if (status != 200) {
                throw new IllegalStateException(pod.id() + " not ready within the start-up time limit");
            }
        }
    }

    public List<Pod> pods() {
        return pods;
    }

    public String redisAddress() {
        return redis.address();
    }

    public String natsUrl() {
        return nats.url();
    }

    @Override
    public void close() {
        for (int i = pods.size() - 1; i >= 0; i--) {
            try {
                pods.get(i).close();
            } catch (RuntimeException e) {
                System.err.println("closing " + pods.get(i).id() + " failed: " + e);
            }
        }
        nats.close();
        redis.close();
    }
}
