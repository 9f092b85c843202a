package io.relaymesh.application.settings;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdaptiveTtlTest {
    private static final Duration FIXED = Duration.ofSeconds(30);
    private final AdaptiveTtl adaptive = new AdaptiveTtl(true, Duration.ofSeconds(15), Duration.ofSeconds(60),
            Duration.ofSeconds(120));

    @Test
    void activeKey_getsTheLongerTtl() {
        long now = 1_000_000_000_000L;
        assertEquals(Duration.ofSeconds(60), adaptive.ttl(FIXED, now - Duration.ofSeconds(119).toNanos(), now));
    }

    @Test
    void idleKey_getsTheShorterTtl() {
        long now = 1_000_000_000_000L;
        assertEquals(Duration.ofSeconds(15), adaptive.ttl(FIXED, now - Duration.ofSeconds(121).toNanos(), now));
    }

    @Test
    void off_alwaysGivesTheFixedTtl() {
        assertEquals(FIXED, AdaptiveTtl.off().ttl(FIXED, 0, Long.MAX_VALUE));
        assertEquals(FIXED, AdaptiveTtl.off().initial(FIXED));
    }

    @Test
    void newKeys_startWithTheLongerTtl_whenOn() {
        assertEquals(Duration.ofSeconds(60), adaptive.initial(FIXED));
    }

    @Test
    void minAboveMax_isRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new AdaptiveTtl(true, Duration.ofSeconds(60), Duration.ofSeconds(15), Duration.ofSeconds(1)));
    }
}
