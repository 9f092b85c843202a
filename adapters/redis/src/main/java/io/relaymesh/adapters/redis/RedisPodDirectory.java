package io.relaymesh.adapters.redis;

import io.relaymesh.adapters.redis.RedisConnections.Retry;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.PodDirectory;
import redis.clients.jedis.Response;
import redis.clients.jedis.args.ExpiryOption;
import redis.clients.jedis.params.SetParams;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pod directory in Redis: {@code {prefix}pod:{pod id}} holds the pod's address with a {@code PX}
 * TTL, and the sorted set {@code {prefix}pods} indexes the pods by heartbeat expiry (epoch ms, from
 * the pods' clocks as in {@link RedisRouteRegistry}) so that {@link #livePods()} is one round trip
 * without {@code KEYS} or {@code SCAN}. Each method is one round trip. Thread-safe: it keeps no
 * state of its own.
 */
public final class RedisPodDirectory implements PodDirectory {
    static final String PORT = "pod_directory";

    private final RedisConnections redis;
    private final Clock clock;

    public RedisPodDirectory(RedisConnections redis) {
        this(redis, Clock.SYSTEM);
    }

    public RedisPodDirectory(RedisConnections redis, Clock clock) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void heartbeat(PodId pod, String address, Duration ttl) {
        Objects.requireNonNull(pod, "pod_id");
        Objects.requireNonNull(address, "address");
        if (address.isBlank()) {
            throw new IllegalArgumentException("address of pod " + pod + " must not be blank");
        }
        long ttlMillis = Ttls.positiveMillis(ttl);
        long deadline = clock.millis() + ttlMillis;
        String index = indexKey();
        redis.pipelined(PORT, "heartbeat " + pod, Retry.ON_STALE_CONNECTION, pipeline -> {
            pipeline.set(podKey(pod), address, SetParams.setParams().px(ttlMillis));
            pipeline.zadd(index, deadline, pod.value());
            // The index lives as long as its longest-lived pod: NX gives a new key an expiry, GT only extends it.
            pipeline.pexpire(index, ttlMillis, ExpiryOption.NX);
            pipeline.pexpire(index, ttlMillis, ExpiryOption.GT);
            return () -> null;
        });
    }

    @Override
    public Optional<String> address(PodId pod) {
        Objects.requireNonNull(pod, "pod_id");
        return Optional.ofNullable(redis.call(PORT, "address " + pod, Retry.ON_STALE_CONNECTION,
                client -> client.get(podKey(pod))));
    }

    /** One pipeline: trims lapsed pods from the index and reads the live ones. */
    @Override
    public Set<PodId> livePods() {
        long now = clock.millis();
        String index = indexKey();
        return redis.pipelined(PORT, "live pods", Retry.ON_STALE_CONNECTION, pipeline -> {
            pipeline.zremrangeByScore(index, "-inf", Long.toString(now));
            Response<List<String>> live = pipeline.zrangeByScore(index, "(" + now, "+inf");
            return () -> live.get().stream().map(PodId::new).collect(Collectors.toUnmodifiableSet());
        });
    }

    @Override
    public void remove(PodId pod) {
        Objects.requireNonNull(pod, "pod_id");
        redis.pipelined(PORT, "remove " + pod, Retry.ON_STALE_CONNECTION, pipeline -> {
            pipeline.del(podKey(pod));
            pipeline.zrem(indexKey(), pod.value());
            return () -> null;
        });
    }

    private String podKey(PodId pod) {
        return redis.settings().key("pod:" + pod.value());
    }

    private String indexKey() {
        return redis.settings().key("pods");
    }
}
