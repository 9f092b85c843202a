package io.relaymesh.adapters.redis;

import io.relaymesh.adapters.redis.RedisConnections.Retry;
import io.relaymesh.adapters.redis.RedisConnections.ScriptCall;
import io.relaymesh.domain.model.Listing;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.RouteCatalog;
import io.relaymesh.domain.port.RouteRegistry;
import redis.clients.jedis.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Route memberships in Redis: {@code {prefix}route:{route key}} is a sorted set whose members are
 * pod ids scored by their expiry (epoch ms), so one key holds many pods and a crashed pod's
 * memberships age out member by member; lookups ignore and trim expired members. The key itself
 * always outlives its members and vanishes at most twice the longest TTL after its last
 * registration, so abandoned keys do not pile up. Every method is one round trip: registrations go
 * through one Lua script ({@code ZADD} and the key's expiry per key), called in batches of
 * {@value #REFRESH_BATCH} keys, all batches in one pipeline; lookups are one pipeline of plain
 * commands. Listing (for operators) is a bounded SCAN, never KEYS. Thread-safe: it keeps no state of
 * its own.
 *
 * <p>Scores come from the pods' clocks ({@link Clock}), not from Redis {@code TIME}: a lookup can
 * then be plain pipelined {@code ZRANGEBYSCORE}s with "now" as an argument, and the skew between
 * NTP-synced pods (milliseconds) is tiny next to route TTLs (tens of seconds); at worst a member
 * lives that much longer or shorter.
 */
public final class RedisRouteRegistry implements RouteRegistry, RouteCatalog {
    static final String PORT = "route_registry";
    /** Keys per script call; a pipeline carries all calls, and Redis serves others in between. */
    static final int REFRESH_BATCH = 1_000;

    /**
     * ARGV: pod id, expiry (epoch ms), TTL (ms). Adds or updates the pod in every key. A key whose
     * remaining life is under the TTL gets twice the TTL, so the key outlives every member, yet a
     * steady refresh extends it only every other tick: a third fewer calls per key than ZADD plus
     * PEXPIRE NX plus PEXPIRE GT, which took a 10,000-key refresh from ~30-45 ms to ~20-30 ms here.
     */
    private static final RedisScript ADD_MEMBERSHIPS = RedisScript.of("route add memberships", """
            local pod, expiry, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3])
            for _, key in ipairs(KEYS) do
              redis.call('ZADD', key, expiry, pod)
              if redis.call('PTTL', key) < ttl then
                redis.call('PEXPIRE', key, 2 * ttl)
              end
            end
            return #KEYS
            """);

    /** What every route key starts with (before the configured prefix is added). */
    private static final String ROUTE_PREFIX = "route:";

    private final RedisConnections redis;
    private final Clock clock;

    public RedisRouteRegistry(RedisConnections redis) {
        this(redis, Clock.SYSTEM);
    }

    public RedisRouteRegistry(RedisConnections redis, Clock clock) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void register(RouteKey key, PodId pod, Duration ttl) {
        Objects.requireNonNull(key, "route_key");
        Objects.requireNonNull(pod, "pod_id");
        addMemberships(List.of(key), pod, ttl, "register " + key);
    }

    @Override
    public void unregister(RouteKey key, PodId pod) {
        Objects.requireNonNull(key, "route_key");
        Objects.requireNonNull(pod, "pod_id");
        redis.call(PORT, "unregister " + key, Retry.ON_STALE_CONNECTION, client -> client.zrem(redisKey(key), pod.value()));
    }

    /**
     * One round trip for all keys: batches of {@value #REFRESH_BATCH} script calls in one pipeline.
     * Also restores memberships that lapsed (ZADD adds or updates).
     */
    @Override
    public void refresh(Collection<RouteKey> keys, PodId pod, Duration ttl) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(pod, "pod_id");
        addMemberships(keys, pod, ttl, "refresh " + keys.size() + " keys");
    }

    /** One pipeline: per key, trims members expired by now and reads the live ones. */
    @Override
    public Map<RouteKey, Set<PodId>> lookup(Collection<RouteKey> keys) {
        Objects.requireNonNull(keys, "keys");
        if (keys.isEmpty()) {
            return Map.of();
        }
        Set<RouteKey> distinct = new LinkedHashSet<>(keys);
        long now = clock.millis();
        String live = "(" + now;
        return redis.pipelined(PORT, "lookup " + distinct.size() + " keys", Retry.ON_STALE_CONNECTION, pipeline -> {
            Map<RouteKey, Response<List<String>>> replies = new HashMap<>();
            for (RouteKey key : distinct) {
                String redisKey = redisKey(Objects.requireNonNull(key, "route_key"));
                // A member is live while now < its expiry: trim score <= now, read score > now.
                pipeline.zremrangeByScore(redisKey, "-inf", Long.toString(now));
                replies.put(key, pipeline.zrangeByScore(redisKey, live, "+inf"));
            }
            return () -> replies.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                    reply -> reply.getValue().get().stream().map(PodId::new).collect(Collectors.toUnmodifiableSet())));
        });
    }

    /**
     * A bounded {@link KeyScan} of the {@code route:} keys (sorted sets), filtered here; per SCAN
     * batch one pipeline of {@code ZCOUNT}s of live members (keys whose members all expired are
     * not routes any more); then one pipeline reading the members of the page kept.
     */
    @Override
    public Listing<Route> list(Predicate<RouteKey> matching, int limit) {
        Objects.requireNonNull(matching, "matching");
        BoundedSelection<RouteKey> selection = new BoundedSelection<>(limit, Comparator.comparing(RouteKey::value));
        String prefix = redis.settings().key(ROUTE_PREFIX);
        int prefixLength = prefix.length();
        String live = "(" + clock.millis();
        boolean complete = KeyScan.scan(redis, PORT, prefix, "zset", batch -> {
            List<RouteKey> candidates = new ArrayList<>();
            for (String redisKey : batch) {
                RouteKey key = parse(redisKey.substring(prefixLength));
                if (key != null && matching.test(key) && !selection.seen(key)) {
                    candidates.add(key);
                }
            }
            if (candidates.isEmpty()) {
                return;
            }
            List<Long> counts = redis.pipelined(PORT, "count members of " + candidates.size() + " keys",
                    Retry.ON_STALE_CONNECTION, pipeline -> {
                        List<Response<Long>> replies = new ArrayList<>();
                        for (RouteKey key : candidates) {
                            replies.add(pipeline.zcount(redisKey(key), live, "+inf"));
                        }
                        return () -> replies.stream().map(Response::get).toList();
                    });
            for (int i = 0; i < candidates.size(); i++) {
                if (counts.get(i) > 0) {
                    selection.offer(candidates.get(i));
                }
            }
        });
        List<RouteKey> kept = selection.kept();
        if (kept.isEmpty()) {
            return selection.listing(List.of(), 0, complete);
        }
        Map<RouteKey, Set<PodId>> members = lookup(kept);
        List<Route> routes = new ArrayList<>(kept.size());
        for (RouteKey key : kept) {
            Set<PodId> pods = members.getOrDefault(key, Set.of());
            if (!pods.isEmpty()) {
                routes.add(new Route(key, pods));
            }
        }
        return selection.listing(routes, kept.size() - routes.size(), complete);
    }

    /** The route key of a stored key, or null for a key that is not one (written by something else). */
    private static RouteKey parse(String value) {
        try {
            return new RouteKey(value);
        } catch (IllegalArgumentException notARouteKey) {
            return null;
        }
    }

    private void addMemberships(Collection<RouteKey> keys, PodId pod, Duration ttl, String operation) {
        long ttlMillis = Ttls.positiveMillis(ttl);
        if (keys.isEmpty()) {
            return;
        }
        List<String> args = List.of(pod.value(), Long.toString(clock.millis() + ttlMillis), Long.toString(ttlMillis));
        List<ScriptCall> calls = new ArrayList<>();
        List<String> batch = new ArrayList<>();
        for (RouteKey key : keys) {
            batch.add(redisKey(Objects.requireNonNull(key, "route_key")));
            if (batch.size() == REFRESH_BATCH) {
                calls.add(new ScriptCall(batch, args));
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            calls.add(new ScriptCall(batch, args));
        }
        redis.evalAll(PORT, operation, Retry.ON_STALE_CONNECTION, ADD_MEMBERSHIPS, calls);
    }

    private String redisKey(RouteKey key) {
        return redis.settings().key(ROUTE_PREFIX + key.value());
    }
}
