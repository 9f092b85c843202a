package io.relaymesh.adapters.memory;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.PodStats;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.PodStatsBoard;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The stats board of a single process (standalone mode posts only its own pod). Thread-safe:
 * posts are immutable values in a concurrent map, replaced whole; lapsed ones are invisible at once
 * and swept from memory later.
 */
public final class InMemoryPodStatsBoard implements PodStatsBoard {

    private record Post(PodStats stats, long deadline) {
    }

    private final Clock clock;
    private final ConcurrentMap<PodId, Post> posts = new ConcurrentHashMap<>();
    private final Sweeper sweeper;

    public InMemoryPodStatsBoard() {
        this(Clock.SYSTEM);
    }

    public InMemoryPodStatsBoard(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sweeper = new Sweeper(clock, Sweeper.DEFAULT_INTERVAL, this::sweepExpired);
    }

    @Override
    public void publish(PodStats stats, Duration ttl) {
        Objects.requireNonNull(stats, "stats");
        long deadline = Expiry.deadline(clock.millis(), ttl);
        sweeper.maybeSweep();
        posts.put(stats.pod(), new Post(stats, deadline));
    }

    @Override
    public Map<PodId, PodStats> read(Collection<PodId> pods) {
        long now = clock.millis();
        Map<PodId, PodStats> found = new HashMap<>();
        for (PodId pod : pods) {
            Post post = posts.get(Objects.requireNonNull(pod, "pod_id"));
            if (post != null && Expiry.isLive(post.deadline(), now)) {
                found.put(pod, post.stats());
            }
        }
        return Map.copyOf(found);
    }

    private void sweepExpired() {
        long now = clock.millis();
        posts.entrySet().removeIf(entry -> !Expiry.isLive(entry.getValue().deadline(), now));
    }
}
