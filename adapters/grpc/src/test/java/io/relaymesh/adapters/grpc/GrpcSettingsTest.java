package io.relaymesh.adapters.grpc;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GrpcSettingsTest {

    @Test
    void defaults_areThoseOfTheDesign() {
        GrpcSettings s = GrpcSettings.defaults();
        assertEquals(Duration.ofSeconds(2), s.deadline());
        assertEquals(256, s.maxBatchEvents());
        assertEquals(Duration.ZERO, s.maxLinger(), "an idle stream sends at once");
        assertEquals(4, s.maxInFlightBatches());
        assertEquals(3, s.retryMaxAttempts());
        assertEquals(Duration.ofMillis(50), s.retryInitialDelay());
        assertEquals(Duration.ofSeconds(1), s.retryMaxDelay());
        assertEquals(5, s.circuitFailureThreshold());
        assertEquals(Duration.ofSeconds(2), s.circuitOpenDelay());
        assertEquals(2, s.circuitSuccessThreshold());
        assertEquals(10_000, s.maxQueuedEventsPerPeer());
    }

    @Test
    void maxForwardTime_coversEveryAttemptAndBackOff() {
        // no linger + 3 × 2 s deadlines + (50 + 100 ms back-off) × 1.2 jitter + 1 s slack
        assertEquals(Duration.ofMillis(6_000 + 180 + 1_000), GrpcSettings.defaults().maxForwardTime());
    }

    @Test
    void nonsense_isRejected() {
        GrpcSettings d = GrpcSettings.defaults();
        assertThrows(IllegalArgumentException.class, () -> new GrpcSettings(Duration.ZERO, d.maxBatchEvents(),
                d.maxLinger(), d.maxInFlightBatches(), d.retryMaxAttempts(), d.retryInitialDelay(), d.retryMaxDelay(),
                d.retryJitterFactor(), d.circuitFailureThreshold(), d.circuitOpenDelay(), d.circuitSuccessThreshold(),
                d.maxQueuedEventsPerPeer(), d.channelIdleTimeout(), d.closeTimeout()));
        assertThrows(IllegalArgumentException.class, () -> new GrpcSettings(d.deadline(), d.maxBatchEvents(),
                d.maxLinger(), d.maxInFlightBatches(), d.retryMaxAttempts(), d.retryInitialDelay(), d.retryMaxDelay(),
                1.5, d.circuitFailureThreshold(), d.circuitOpenDelay(), d.circuitSuccessThreshold(),
                d.maxQueuedEventsPerPeer(), d.channelIdleTimeout(), d.closeTimeout()));
        assertThrows(IllegalArgumentException.class, () -> new GrpcSettings(d.deadline(), d.maxBatchEvents(),
                d.maxLinger(), 0, d.retryMaxAttempts(), d.retryInitialDelay(), d.retryMaxDelay(),
                d.retryJitterFactor(), d.circuitFailureThreshold(), d.circuitOpenDelay(), d.circuitSuccessThreshold(),
                d.maxQueuedEventsPerPeer(), d.channelIdleTimeout(), d.closeTimeout()), "no batch could ever be sent");
        assertThrows(IllegalArgumentException.class, () -> new GrpcSettings(d.deadline(), 100,
                d.maxLinger(), d.maxInFlightBatches(), d.retryMaxAttempts(), d.retryInitialDelay(), d.retryMaxDelay(),
                d.retryJitterFactor(), d.circuitFailureThreshold(), d.circuitOpenDelay(), d.circuitSuccessThreshold(),
                50, d.channelIdleTimeout(), d.closeTimeout()));
    }
}
