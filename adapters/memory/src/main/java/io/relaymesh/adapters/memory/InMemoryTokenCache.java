package io.relaymesh.adapters.memory;

import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.TokenCache;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Token cache of a single process, bounded so that a flood of distinct tokens cannot exhaust the
 * heap: past {@code maxEntries} it drops expired entries first, then the oldest writes. Thread-safe:
 * one lock guards the map (critical sections are short and never block, so contention is cheap;
 * a {@link ReentrantLock} rather than {@code synchronized} so virtual threads are never pinned on
 * Java 21).
 */
public final class InMemoryTokenCache implements TokenCache {
    public static final int DEFAULT_MAX_ENTRIES = 100_000;

    private record Entry(Object claims, long deadline) {
    }

    private final Clock clock;
    private final int maxEntries;
    /**
     * Once full of live entries, eviction frees this many more (1%), so the expiry scan is paid once
     * per batch of writes rather than on every write.
     */
    private final int evictionBatch;
    private final ReentrantLock lock = new ReentrantLock();
    /** Insertion order is write order (a rewrite re-inserts), so the head is the oldest write. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    public InMemoryTokenCache() {
        this(Clock.SYSTEM, DEFAULT_MAX_ENTRIES);
    }

    public InMemoryTokenCache(Clock clock) {
        this(clock, DEFAULT_MAX_ENTRIES);
    }

    public InMemoryTokenCache(Clock clock, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("max entries must be at least 1, got: " + maxEntries);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxEntries = maxEntries;
        this.evictionBatch = maxEntries / 100;
    }

    @Override
    public <T> Optional<T> get(String tokenHash, Class<T> type) {
        Objects.requireNonNull(tokenHash, "token hash");
        Objects.requireNonNull(type, "type");
        long now = clock.millis();
        lock.lock();
        try {
            Entry entry = entries.get(tokenHash);
            if (entry == null) {
                return Optional.empty();
            }
            if (!Expiry.isLive(entry.deadline(), now)) {
                entries.remove(tokenHash);
                return Optional.empty();
            }
            // Entries are keyed by token hash alone; the type check keeps a user token's claims from
            // ever answering an admin lookup.
            return type.isInstance(entry.claims()) ? Optional.of(type.cast(entry.claims())) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void put(String tokenHash, Object claims, Duration ttl) {
        Objects.requireNonNull(tokenHash, "token hash");
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(ttl, "ttl");
        // The TTL comes from the token's remaining life; when that is over there is nothing to cache.
        if (ttl.isNegative() || ttl.isZero()) {
            return;
        }
        long now = clock.millis();
        Entry entry = new Entry(claims, Expiry.deadline(now, ttl));
        lock.lock();
        try {
            entries.remove(tokenHash);
            entries.put(tokenHash, entry);
            if (entries.size() > maxEntries) {
                evict(now);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Number of entries in memory, expired ones not yet evicted included. */
    public int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held and the map over its bound. */
    private void evict(long now) {
        entries.values().removeIf(entry -> !Expiry.isLive(entry.deadline(), now));
        if (entries.size() <= maxEntries) {
            return;
        }
        int target = maxEntries - evictionBatch;
        Iterator<Entry> oldestFirst = entries.values().iterator();
        while (entries.size() > target && oldestFirst.hasNext()) {
            oldestFirst.next();
            oldestFirst.remove();
        }
    }
}
