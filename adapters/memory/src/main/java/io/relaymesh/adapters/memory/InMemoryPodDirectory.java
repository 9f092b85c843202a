package io.relaymesh.adapters.memory;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.PodDirectory;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

/**
 * Pod directory of a single process (standalone mode knows only itself, but the port works for any
 * number of pods). Thread-safe: announcements are immutable values in a concurrent map. Lapsed
 * pods are invisible at once and swept from memory later.
 */
public final class InMemoryPodDirectory implements PodDirectory {

    private record Announcement(String address, long deadline) {
        boolean isLiveAt(long now) {
            return Expiry.isLive(deadline, now);
        }
    }

    private final Clock clock;
    private final ConcurrentMap<PodId, Announcement> pods = new ConcurrentHashMap<>();
    private final Sweeper sweeper;

    public InMemoryPodDirectory() {
        this(Clock.SYSTEM);
    }

    public InMemoryPodDirectory(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sweeper = new Sweeper(clock, Sweeper.DEFAULT_INTERVAL, this::sweepExpired);
    }

    @Override
    public void heartbeat(PodId pod, String address, Duration ttl) {
        Objects.requireNonNull(pod, "pod_id");
        Objects.requireNonNull(address, "address");
        if (address.isBlank()) {
            throw new IllegalArgumentException("address of pod " + pod + " must not be blank");
        }
        long deadline = Expiry.deadline(clock.millis(), ttl);
        sweeper.maybeSweep();
        pods.put(pod, new Announcement(address, deadline));
    }

    @Override
    public Optional<String> address(PodId pod) {
        Announcement announcement = pods.get(Objects.requireNonNull(pod, "pod_id"));
        return announcement != null && announcement.isLiveAt(clock.millis())
                ? Optional.of(announcement.address())
                : Optional.empty();
    }

    @Override
    public Set<PodId> livePods() {
        long now = clock.millis();
        return pods.entrySet().stream()
                .filter(entry -> entry.getValue().isLiveAt(now))
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void remove(PodId pod) {
        pods.remove(Objects.requireNonNull(pod, "pod_id"));
    }

    /** Number of pods in memory, lapsed ones not yet swept included; for tests of the sweep. */
    int storedCount() {
        return pods.size();
    }

    private void sweepExpired() {
        long now = clock.millis();
        // Removes an entry only if it still holds the tested value, so a fresh heartbeat survives.
        pods.entrySet().removeIf(entry -> !entry.getValue().isLiveAt(now));
    }
}
