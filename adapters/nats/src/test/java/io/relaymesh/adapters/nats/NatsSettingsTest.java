package io.relaymesh.adapters.nats;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NatsSettingsTest {

    @Test
    void defaults_followTheSeed() {
        NatsSettings settings = NatsSettings.builder("nats://localhost:4222").build();

        assertEquals("wa_stream", settings.streamName());
        assertEquals("ws_fanout", settings.consumerName());
        assertEquals(List.of("websocket.>"), settings.streamSubjects());
        assertEquals(Duration.ofSeconds(30), settings.ackWait());
        assertEquals(-1, settings.maxDeliver());
        assertEquals(256, settings.maxInFlight());
        assertTrue(settings.retryOnFailedConnect());
        assertTrue(settings.redeliveryBackoff().isEmpty());
    }

    @Test
    void nakDelay_followsTheBackoffAndRepeatsItsLastValue() {
        NatsSettings settings = NatsSettings.builder("nats://x")
                .nakBackoff(List.of(Duration.ofMillis(100), Duration.ofSeconds(1)))
                .build();

        assertEquals(Duration.ofMillis(100), settings.nakDelay(1));
        assertEquals(Duration.ofSeconds(1), settings.nakDelay(2));
        assertEquals(Duration.ofSeconds(1), settings.nakDelay(50));
        assertEquals(Duration.ofMillis(100), settings.nakDelay(0));
    }

    @Test
    void namesThatWouldBreakApiSubjects_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> NatsSettings.builder("nats://x").streamName("a.b").build());
        assertThrows(IllegalArgumentException.class, () -> NatsSettings.builder("nats://x").consumerName("a*").build());
        assertThrows(IllegalArgumentException.class, () -> NatsSettings.builder(" ").build());
    }

    @Test
    void impossibleLimits_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> NatsSettings.builder("nats://x").maxInFlight(0).build());
        assertThrows(IllegalArgumentException.class, () -> NatsSettings.builder("nats://x").maxDeliver(0).build());
        assertThrows(IllegalArgumentException.class, () -> NatsSettings.builder("nats://x").ackWait(Duration.ZERO)
                .build());
        assertThrows(IllegalArgumentException.class, () -> NatsSettings.builder("nats://x").nakBackoff(List.of())
                .build());
        assertThrows(IllegalArgumentException.class, () -> NatsSettings.builder("nats://x").maxDeliver(2)
                .redeliveryBackoff(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2))).build());
    }

    @Test
    void toBuilder_keepsEveryValue() {
        NatsSettings settings = NatsSettings.builder("nats://x").ackWait(Duration.ofSeconds(2)).maxInFlight(7)
                .consumerName("c").build();

        assertEquals(settings, settings.toBuilder().build());
    }
}
