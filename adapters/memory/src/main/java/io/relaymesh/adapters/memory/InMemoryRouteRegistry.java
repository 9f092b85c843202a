package io.relaymesh.adapters.memory;

import io.relaymesh.domain.model.Listing;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.RouteCatalog;
import io.relaymesh.domain.port.RouteRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Route memberships of a single process, and their listing. Thread-safe: each key's members are an immutable map
 * replaced inside a {@link ConcurrentMap#compute} on the key (copy-on-write; a key has at most one
 * member per pod, so copies stay small), which makes every change atomic and every lookup a
 * consistent snapshot. Expired members are dropped whenever their key is written and by a periodic
 * sweep.
 */
public final class InMemoryRouteRegistry implements RouteRegistry, RouteCatalog {

    /** The pods of one key with their deadlines, like the Redis sorted set scored by expiry. */
    private record Members(Map<PodId, Long> deadlines) {
        static final Members NONE = new Members(Map.of());

        /** These members with {@code pod} set to expire at {@code deadline}, minus those expired at {@code now}. */
        Members with(PodId pod, long deadline, long now) {
            Map<PodId, Long> next = liveCopy(now);
            next.put(pod, deadline);
            return new Members(Map.copyOf(next));
        }

        /** These members without {@code pod} and without those expired at {@code now}; null when none is left. */
        Members withoutOrNull(PodId pod, long now) {
            Map<PodId, Long> next = liveCopy(now);
            next.remove(pod);
            return next.isEmpty() ? null : new Members(Map.copyOf(next));
        }

        /** These members without those expired at {@code now}; null when none is left. */
        Members prunedOrNull(long now) {
            Map<PodId, Long> next = liveCopy(now);
            if (next.size() == deadlines.size()) {
                return this;
            }
            return next.isEmpty() ? null : new Members(Map.copyOf(next));
        }

        Set<PodId> liveAt(long now) {
            return deadlines.entrySet().stream()
                    .filter(member -> Expiry.isLive(member.getValue(), now))
                    .map(Map.Entry::getKey)
                    .collect(Collectors.toUnmodifiableSet());
        }

        private Map<PodId, Long> liveCopy(long now) {
            Map<PodId, Long> copy = new HashMap<>(deadlines);
            copy.values().removeIf(deadline -> !Expiry.isLive(deadline, now));
            return copy;
        }
    }

    private final Clock clock;
    private final ConcurrentMap<RouteKey, Members> routes = new ConcurrentHashMap<>();
    private final Sweeper sweeper;

    public InMemoryRouteRegistry() {
        this(Clock.SYSTEM);
    }

    public InMemoryRouteRegistry(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sweeper = new Sweeper(clock, Sweeper.DEFAULT_INTERVAL, this::sweepExpired);
    }

    @Override
    public void register(RouteKey key, PodId pod, Duration ttl) {
        Objects.requireNonNull(key, "route_key");
        Objects.requireNonNull(pod, "pod_id");
        long now = clock.millis();
        long deadline = Expiry.deadline(now, ttl);
        sweeper.maybeSweep();
        routes.compute(key, (k, members) -> (members == null ? Members.NONE : members).with(pod, deadline, now));
    }

    @Override
    public void unregister(RouteKey key, PodId pod) {
        Objects.requireNonNull(key, "route_key");
        Objects.requireNonNull(pod, "pod_id");
        long now = clock.millis();
        routes.computeIfPresent(key, (k, members) -> members.withoutOrNull(pod, now));
    }

    @Override
    public void refresh(Collection<RouteKey> keys, PodId pod, Duration ttl) {
        // Registering again is refreshing: like ZADD, it also restores a membership that lapsed.
        Expiry.deadline(clock.millis(), ttl);
        for (RouteKey key : keys) {
            register(key, pod, ttl);
        }
    }

    @Override
    public Map<RouteKey, Set<PodId>> lookup(Collection<RouteKey> keys) {
        long now = clock.millis();
        Map<RouteKey, Set<PodId>> found = new HashMap<>();
        for (RouteKey key : keys) {
            Members members = routes.get(Objects.requireNonNull(key, "route_key"));
            found.put(key, members == null ? Set.of() : members.liveAt(now));
        }
        return Map.copyOf(found);
    }

    /** A scan of the map: a single process holds at most its own connections' routes, so no bound is needed. */
    @Override
    public Listing<Route> list(Predicate<RouteKey> matching, int limit) {
        Objects.requireNonNull(matching, "matching");
        Listings.requirePositive(limit);
        long now = clock.millis();
        List<Route> found = new ArrayList<>();
        routes.forEach((key, members) -> {
            if (matching.test(key)) {
                Set<PodId> live = members.liveAt(now);
                if (!live.isEmpty()) {
                    found.add(new Route(key, live));
                }
            }
        });
        found.sort(Comparator.comparing(route -> route.key().value()));
        return Listings.firstOf(found, limit);
    }

    /** Number of keys in memory, including keys whose members all expired but are not swept yet. */
    int storedKeyCount() {
        return routes.size();
    }

    private void sweepExpired() {
        long now = clock.millis();
        for (RouteKey key : routes.keySet()) {
            routes.computeIfPresent(key, (k, members) -> members.prunedOrNull(now));
        }
    }
}
