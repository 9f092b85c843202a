package io.relaymesh.adapters.redis;

import io.relaymesh.adapters.redis.RedisConnections.Retry;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.PodStats;
import io.relaymesh.domain.port.PodStatsBoard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.params.SetParams;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The stats board in Redis: {@code {prefix}pod_stats:{pod id}} holds the pod's stats as JSON
 * ({@link PodStatsJson}) with a {@code PX} TTL, one key per pod, so a pod that stops posting drops
 * off by itself. A post is one {@code SET}; reading any number of pods is one {@code MGET}.
 * Thread-safe: it keeps no state of its own.
 */
public final class RedisPodStatsBoard implements PodStatsBoard {
    static final String PORT = "pod_stats";
    private static final Logger LOG = LoggerFactory.getLogger(RedisPodStatsBoard.class);

    private final RedisConnections redis;

    public RedisPodStatsBoard(RedisConnections redis) {
        this.redis = Objects.requireNonNull(redis, "redis");
    }

    @Override
    public void publish(PodStats stats, Duration ttl) {
        Objects.requireNonNull(stats, "stats");
        long ttlMillis = Ttls.positiveMillis(ttl);
        String json = PodStatsJson.encode(stats);
        redis.call(PORT, "publish stats of " + stats.pod(), Retry.ON_STALE_CONNECTION,
                client -> client.set(statsKey(stats.pod()), json, SetParams.setParams().px(ttlMillis)));
    }

    @Override
    public Map<PodId, PodStats> read(Collection<PodId> pods) {
        Objects.requireNonNull(pods, "pods");
        if (pods.isEmpty()) {
            return Map.of();
        }
        List<PodId> distinct = List.copyOf(new LinkedHashSet<>(pods));
        String[] keys = distinct.stream().map(this::statsKey).toArray(String[]::new);
        List<String> values = redis.call(PORT, "read stats of " + distinct.size() + " pods", Retry.ON_STALE_CONNECTION,
                client -> client.mget(keys));
        Map<PodId, PodStats> found = new HashMap<>();
        for (int i = 0; i < distinct.size(); i++) {
            String value = values.get(i);
            if (value == null) {
                continue;
            }
            Optional<PodStats> stats = PodStatsJson.decode(value);
            if (stats.isPresent() && stats.get().pod().equals(distinct.get(i))) {
                found.put(distinct.get(i), stats.get());
            } else {
                LOG.warn("ignoring unreadable stats of pod_id={}: {}", distinct.get(i), value);
            }
        }
        return Map.copyOf(found);
    }

    private String statsKey(PodId pod) {
        return redis.settings().key("pod_stats:" + pod.value());
    }
}
