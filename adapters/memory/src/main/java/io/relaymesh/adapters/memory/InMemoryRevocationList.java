package io.relaymesh.adapters.memory;

import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.RevocationList;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Revoked token ids of a single process (standalone mode), each with its deadline. Expired entries
 * are dropped when met and on every revocation once the list is large, so the list holds at most
 * the ids of tokens still alive. Thread-safe: a concurrent map, each update atomic per id.
 */
public final class InMemoryRevocationList implements RevocationList {
    /** Past this many entries a revocation first sweeps the expired ones. */
    private static final int SWEEP_ABOVE = 10_000;

    private final Clock clock;
    private final ConcurrentHashMap<String, Long> deadlines = new ConcurrentHashMap<>();

    public InMemoryRevocationList(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean revoke(String tokenId, Instant expiresAt) {
        Objects.requireNonNull(tokenId, "token id");
        Objects.requireNonNull(expiresAt, "expires at");
        long now = clock.millis();
        Duration ttl = Duration.ofMillis(Math.max(0, expiresAt.toEpochMilli() - now));
        if (ttl.isZero()) {
            return false;
        }
        if (deadlines.size() > SWEEP_ABOVE) {
            deadlines.values().removeIf(deadline -> !Expiry.isLive(deadline, now));
        }
        long deadline = Expiry.deadline(now, ttl);
        boolean[] fresh = {false};
        deadlines.compute(tokenId, (id, old) -> {
            if (old == null || !Expiry.isLive(old, now)) {
                fresh[0] = true;
                return deadline;
            }
            return Math.max(old, deadline);
        });
        return fresh[0];
    }

    @Override
    public boolean isRevoked(String tokenId) {
        Objects.requireNonNull(tokenId, "token id");
        Long deadline = deadlines.get(tokenId);
        if (deadline == null) {
            return false;
        }
        if (Expiry.isLive(deadline, clock.millis())) {
            return true;
        }
        deadlines.remove(tokenId, deadline);
        return false;
    }
}
