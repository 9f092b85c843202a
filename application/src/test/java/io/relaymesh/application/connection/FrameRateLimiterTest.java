package io.relaymesh.application.connection;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameRateLimiterTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 42 * SECOND;

    @Test
    void fullBurstIsAllowedAtOnce_thenTheNextFrameIsRefused() {
        FrameRateLimiter limiter = new FrameRateLimiter(5, T0);

        for (int i = 0; i < 5; i++) {
            assertTrue(limiter.tryAcquire(2, 5, T0), "frame " + i);
        }
        assertFalse(limiter.tryAcquire(2, 5, T0));
    }

    @Test
    void tokensRefillAtTheSustainedRate() {
        FrameRateLimiter limiter = new FrameRateLimiter(3, T0);
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire(4, 3, T0);
        }

        assertFalse(limiter.tryAcquire(4, 3, T0 + SECOND / 8), "half a token after 1/8 s at 4/s");
        assertTrue(limiter.tryAcquire(4, 3, T0 + SECOND / 4), "one token after 1/4 s");
        assertFalse(limiter.tryAcquire(4, 3, T0 + SECOND / 4));
        assertTrue(limiter.tryAcquire(4, 3, T0 + SECOND / 2));
        assertTrue(limiter.tryAcquire(4, 3, T0 + SECOND / 2 + SECOND / 4));
    }

    @Test
    void refillAfterALongSilence_neverExceedsTheBurst() {
        FrameRateLimiter limiter = new FrameRateLimiter(2, T0);
        limiter.tryAcquire(10, 2, T0);
        long later = T0 + 3600 * SECOND;

        assertTrue(limiter.tryAcquire(10, 2, later));
        assertTrue(limiter.tryAcquire(10, 2, later));
        assertFalse(limiter.tryAcquire(10, 2, later));
    }

    @Test
    void loweringTheBurstAtRuntime_capsTheSavedTokensAtOnce() {
        FrameRateLimiter limiter = new FrameRateLimiter(10, T0);

        assertTrue(limiter.tryAcquire(1, 2, T0));
        assertTrue(limiter.tryAcquire(1, 2, T0));
        assertFalse(limiter.tryAcquire(1, 2, T0));
    }
}
