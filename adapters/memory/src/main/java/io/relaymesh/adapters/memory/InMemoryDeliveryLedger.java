package io.relaymesh.adapters.memory;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.DeliveryLedger;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The delivery ledger in this process's memory (standalone mode has one pod, so it is rarely
 * used). Bounded: expired records are dropped when it grows. Thread-safe.
 */
public final class InMemoryDeliveryLedger implements DeliveryLedger {
    private static final int LIMIT = 100_000;

    private record Entry(Set<PodId> pods, long expiresAtMillis) {
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    public InMemoryDeliveryLedger(Clock clock) {
        this.clock = clock;
    }

    public InMemoryDeliveryLedger() {
        this(Clock.SYSTEM);
    }

    @Override
    public void recordTaken(String eventId, Set<PodId> pods, Duration ttl) {
        long now = clock.millis();
        if (entries.size() >= LIMIT) {
            entries.values().removeIf(e -> e.expiresAtMillis() <= now);
        }
        entries.compute(eventId, (id, old) -> {
            Set<PodId> all = new HashSet<>(pods);
            if (old != null && old.expiresAtMillis() > now) {
                all.addAll(old.pods());
            }
            return new Entry(Set.copyOf(all), now + ttl.toMillis());
        });
    }

    @Override
    public Set<PodId> taken(String eventId) {
        Entry entry = entries.get(eventId);
        return entry == null || entry.expiresAtMillis() <= clock.millis() ? Set.of() : entry.pods();
    }
}
