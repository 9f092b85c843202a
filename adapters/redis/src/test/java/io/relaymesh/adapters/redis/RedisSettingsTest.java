package io.relaymesh.adapters.redis;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisSettingsTest {

    @Test
    void of_usesDefaults() {
        RedisSettings settings = RedisSettings.of("redis", 6379);

        assertEquals("", settings.password());
        assertEquals("", settings.keyPrefix());
        assertEquals(Duration.ofSeconds(2), settings.timeout());
        assertEquals(32, settings.poolMaxTotal());
        assertEquals(Duration.ofSeconds(2), settings.poolMaxWait());
        assertEquals("redis:6379", settings.address());
    }

    @Test
    void key_prependsPrefix() {
        assertEquals("rm:route:agent:a:b", RedisSettings.of("redis", 6379).withKeyPrefix("rm:").key("route:agent:a:b"));
        assertEquals("pods", RedisSettings.of("redis", 6379).key("pods"));
    }

    @Test
    void toString_hidesPassword() {
        String text = RedisSettings.of("redis", 6379).withPassword("s3cret").toString();

        assertFalse(text.contains("s3cret"), text);
        assertTrue(text.contains("****"), text);
    }

    @Test
    void invalidValues_areRejected() {
        RedisSettings valid = RedisSettings.of("redis", 6379);

        assertThrows(IllegalArgumentException.class, () -> RedisSettings.of(" ", 6379));
        assertThrows(IllegalArgumentException.class, () -> RedisSettings.of("redis", 0));
        assertThrows(IllegalArgumentException.class, () -> valid.withTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> valid.withPool(0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> valid.withPool(4, Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> valid.withKeyPrefix("a b"));
    }
}
