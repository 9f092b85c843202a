package io.relaymesh.adapters.redis;

import io.relaymesh.adapters.redis.RedisConnections.Retry;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.DeliveryLedger;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The delivery ledger in Redis: {@code delivered:{event_id}} is a set of pod ids with a TTL.
 * Recording is one pipelined SADD + PEXPIRE; reading is one SMEMBERS. Only events that failed
 * somewhere are recorded, so the normal delivery path never touches it. Thread-safe.
 */
public final class RedisDeliveryLedger implements DeliveryLedger {
    private static final String PORT = "delivery_ledger";

    private final RedisConnections redis;

    public RedisDeliveryLedger(RedisConnections redis) {
        this.redis = redis;
    }

    @Override
    public void recordTaken(String eventId, Set<PodId> pods, Duration ttl) {
        if (pods.isEmpty()) {
            return;
        }
        String key = key(eventId);
        String[] members = pods.stream().map(PodId::value).toArray(String[]::new);
        // SADD/PEXPIRE are idempotent: a resend after a dropped connection does no harm.
        redis.pipelined(PORT, "record " + eventId, Retry.ON_STALE_CONNECTION, pipeline -> {
            pipeline.sadd(key, members);
            pipeline.pexpire(key, ttl.toMillis());
            return () -> null;
        });
    }

    @Override
    public Set<PodId> taken(String eventId) {
        Set<String> members = redis.call(PORT, "read " + eventId, Retry.ON_STALE_CONNECTION,
                client -> client.smembers(key(eventId)));
        Set<PodId> pods = new HashSet<>();
        for (String member : members) {
            pods.add(new PodId(member));
        }
        return pods;
    }

    private String key(String eventId) {
        return redis.settings().key("delivered:" + eventId);
    }
}
