package io.relaymesh.adapters.memory;

import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.TokenCache;
import io.relaymesh.domain.port.contract.TokenCacheContract;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemoryTokenCacheTest extends TokenCacheContract {
    private static final Duration LIVE = Duration.ofMinutes(10);

    @Override
    protected TokenCache createCache() {
        return new InMemoryTokenCache();
    }

    @Test
    void expiry_followsTheInjectedClock() {
        ManualClock clock = new ManualClock();
        InMemoryTokenCache cache = new InMemoryTokenCache(clock);
        cache.put("hash", claims(0), Duration.ofMinutes(1));

        clock.advance(Duration.ofSeconds(59));
        assertEquals(Optional.of(claims(0)), cache.get("hash", UserClaims.class));

        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), cache.get("hash", UserClaims.class));
    }

    @Test
    void fullCache_evictsExpiredEntriesBeforeLiveOnes() {
        ManualClock clock = new ManualClock();
        InMemoryTokenCache cache = new InMemoryTokenCache(clock, 10);
        for (int i = 0; i < 5; i++) {
            cache.put("short" + i, claims(i), Duration.ofSeconds(1));
        }
        for (int i = 0; i < 5; i++) {
            cache.put("long" + i, claims(i), LIVE);
        }
        clock.advance(Duration.ofSeconds(2));

        cache.put("newest", claims(99), LIVE);

        assertEquals(6, cache.size(), "only the expired entries may go");
        for (int i = 0; i < 5; i++) {
            assertEquals(Optional.of(claims(i)), cache.get("long" + i, UserClaims.class));
        }
        assertEquals(Optional.of(claims(99)), cache.get("newest", UserClaims.class));
    }

    @Test
    void fullCacheOfLiveEntries_evictsOldestWritesFirst() {
        InMemoryTokenCache cache = new InMemoryTokenCache(new ManualClock(), 10);
        for (int i = 0; i < 10; i++) {
            cache.put("hash" + i, claims(i), LIVE);
        }
        cache.put("hash0", claims(0), LIVE);

        cache.put("newest", claims(99), LIVE);

        assertEquals(10, cache.size());
        assertEquals(Optional.empty(), cache.get("hash1", UserClaims.class), "the oldest write must go first");
        assertEquals(Optional.of(claims(0)), cache.get("hash0", UserClaims.class), "a rewrite makes an entry young");
        assertEquals(Optional.of(claims(99)), cache.get("newest", UserClaims.class));
    }

    @Test
    void cache_neverGrowsPastItsBound() {
        InMemoryTokenCache cache = new InMemoryTokenCache(new ManualClock(), 1_000);

        for (int i = 0; i < 20_000; i++) {
            cache.put("hash" + i, claims(i), LIVE);
            assertTrue(cache.size() <= 1_000, "size " + cache.size() + " after " + (i + 1) + " writes");
        }

        assertEquals(Optional.of(claims(19_999)), cache.get("hash19999", UserClaims.class));
    }

    @Test
    void boundOfOne_keepsTheNewestEntry() {
        InMemoryTokenCache cache = new InMemoryTokenCache(new ManualClock(), 1);
        cache.put("old", claims(1), LIVE);

        cache.put("new", claims(2), LIVE);

        assertEquals(Optional.empty(), cache.get("old", UserClaims.class));
        assertEquals(Optional.of(claims(2)), cache.get("new", UserClaims.class));
    }

    @Test
    void boundBelowOne_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new InMemoryTokenCache(new ManualClock(), 0));
    }

    private static UserClaims claims(int user) {
        return new UserClaims("company", "agent", "user" + user, Instant.parse("2031-01-01T00:00:00Z"));
    }
}
