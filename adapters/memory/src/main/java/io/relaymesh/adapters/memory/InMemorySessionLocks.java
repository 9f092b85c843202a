package io.relaymesh.adapters.memory;

import io.relaymesh.domain.model.Listing;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.SessionCatalog;
import io.relaymesh.domain.port.SessionLocks;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

/**
 * Session locks of a single process, and their listing. Thread-safe: every check-and-set runs inside one
 * {@link ConcurrentMap#compute} on the key, which is what makes it a compare-and-set. Expired locks
 * count as free at once and are swept from memory later.
 */
public final class InMemorySessionLocks implements SessionLocks, SessionCatalog {

    /** A lock as stored; immutable, so a compute either keeps it or swaps in a new one. */
    private record Lock(SessionOwner owner, long deadline) {
        boolean isLiveAt(long now) {
            return Expiry.isLive(deadline, now);
        }

        boolean isHeldBy(SessionOwner candidate, long now) {
            return isLiveAt(now) && owner.equals(candidate);
        }
    }

    private final Clock clock;
    private final ConcurrentMap<SessionKey, Lock> locks = new ConcurrentHashMap<>();
    private final Sweeper sweeper;

    public InMemorySessionLocks() {
        this(Clock.SYSTEM);
    }

    public InMemorySessionLocks(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sweeper = new Sweeper(clock, Sweeper.DEFAULT_INTERVAL, this::sweepExpired);
    }

    @Override
    public Acquisition acquire(SessionKey key, SessionOwner owner, Duration ttl) {
        Objects.requireNonNull(key, "session_key");
        Objects.requireNonNull(owner, "owner");
        long now = clock.millis();
        Lock candidate = new Lock(owner, Expiry.deadline(now, ttl));
        sweeper.maybeSweep();
        Lock winner = locks.compute(key, (k, current) -> current != null && current.isLiveAt(now) ? current : candidate);
        return winner == candidate ? new Acquisition.Acquired() : new Acquisition.HeldBy(winner.owner());
    }

    @Override
    public boolean takeOver(SessionKey key, SessionOwner expected, SessionOwner owner, Duration ttl) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(owner, "owner");
        return replaceIfHeldBy(key, expected, new Lock(owner, Expiry.deadline(clock.millis(), ttl)));
    }

    @Override
    public boolean refresh(SessionKey key, SessionOwner owner, Duration ttl) {
        Objects.requireNonNull(owner, "owner");
        return replaceIfHeldBy(key, owner, new Lock(owner, Expiry.deadline(clock.millis(), ttl)));
    }

    @Override
    public Set<SessionKey> refreshAll(Map<SessionKey, SessionOwner> held, Duration ttl) {
        // Validate before touching anything, so a bad TTL cannot leave half the locks refreshed.
        Expiry.deadline(clock.millis(), ttl);
        Set<SessionKey> lost = new HashSet<>();
        held.forEach((key, owner) -> {
            if (!refresh(key, owner, ttl)) {
                lost.add(key);
            }
        });
        return Set.copyOf(lost);
    }

    @Override
    public boolean release(SessionKey key, SessionOwner owner) {
        Objects.requireNonNull(key, "session_key");
        Objects.requireNonNull(owner, "owner");
        Lock current = locks.get(key);
        // remove(key, value) only deletes the very lock we checked, never one taken over since.
        return current != null && current.isHeldBy(owner, clock.millis()) && locks.remove(key, current);
    }

    @Override
    public Optional<SessionOwner> owner(SessionKey key) {
        Objects.requireNonNull(key, "session_key");
        Lock current = locks.get(key);
        return current != null && current.isLiveAt(clock.millis()) ? Optional.of(current.owner()) : Optional.empty();
    }

    /** A scan of the map: a single process holds at most its own connections' locks, so no bound is needed. */
    @Override
    public Listing<HeldSession> list(Predicate<SessionKey> matching, int limit) {
        Objects.requireNonNull(matching, "matching");
        Listings.requirePositive(limit);
        long now = clock.millis();
        List<HeldSession> found = locks.entrySet().stream()
                .filter(entry -> entry.getValue().isLiveAt(now) && matching.test(entry.getKey()))
                .map(entry -> new HeldSession(entry.getKey(), entry.getValue().owner()))
                .sorted(Comparator.comparing(held -> held.key().value()))
                .toList();
        return Listings.firstOf(found, limit);
    }

    /** Number of locks in memory, expired ones not yet swept included; for tests of the sweep. */
    int storedCount() {
        return locks.size();
    }

    private boolean replaceIfHeldBy(SessionKey key, SessionOwner expected, Lock replacement) {
        Objects.requireNonNull(key, "session_key");
        long now = clock.millis();
        sweeper.maybeSweep();
        Lock result = locks.computeIfPresent(key, (k, current) -> current.isHeldBy(expected, now) ? replacement : current);
        return result == replacement;
    }

    private void sweepExpired() {
        long now = clock.millis();
        // Entry-set removeIf removes an entry only if it still maps to the value tested, so a lock
        // refreshed meanwhile survives.
        locks.entrySet().removeIf(entry -> !entry.getValue().isLiveAt(now));
    }
}
