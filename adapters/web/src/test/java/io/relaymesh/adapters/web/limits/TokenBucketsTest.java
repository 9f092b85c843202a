package io.relaymesh.adapters.web.limits;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketsTest {
    private final AtomicLong now = new AtomicLong();

    @Test
    void aBurstIsAllowed_thenTheRate() {
        TokenBuckets buckets = new TokenBuckets(2, 3, 100, now::get);
        assertTrue(buckets.tryTake("a") && buckets.tryTake("a") && buckets.tryTake("a"));
        assertFalse(buckets.tryTake("a"));
        assertTrue(buckets.tryTake("b"), "another key has its own bucket");
        now.addAndGet(500_000_000L);
        assertTrue(buckets.tryTake("a"));
        assertFalse(buckets.tryTake("a"));
    }

    @Test
    void manyKeys_neverGrowTheMapPastItsBound() {
        TokenBuckets buckets = new TokenBuckets(1, 1, 10, now::get);
        for (int i = 0; i < 1000; i++) {
            buckets.tryTake("10.0.0." + i);
        }
        assertTrue(buckets.size() <= 11, "size " + buckets.size());
    }

    @Test
    void idleKeys_areEvictedToMakeRoom() {
        TokenBuckets buckets = new TokenBuckets(1, 1, 2, now::get);
        buckets.tryTake("a");
        buckets.tryTake("b");
        now.addAndGet(5_000_000_000L); // both refilled: idle
        assertTrue(buckets.tryTake("c"));
        assertTrue(buckets.tryTake("d") || buckets.size() <= 3);
    }
}
