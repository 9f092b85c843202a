package io.relaymesh.adapters.grpc;

import java.time.Duration;

/** Settings for tests: short back-off and open delay so that fault scenarios run in well under a second. */
final class TestSettings {
    Duration deadline = Duration.ofSeconds(2);
    int maxBatchEvents = 256;
    Duration maxLinger = Duration.ofMillis(2);
    int maxInFlightBatches = 4;
    int retryMaxAttempts = 3;
    Duration retryInitialDelay = Duration.ofMillis(20);
    Duration retryMaxDelay = Duration.ofMillis(200);
    int circuitFailureThreshold = 5;
    Duration circuitOpenDelay = Duration.ofMillis(300);
    int circuitSuccessThreshold = 2;
    int maxQueuedEventsPerPeer = 10_000;
    Duration channelIdleTimeout = Duration.ofMinutes(5);

    GrpcSettings build() {
        return new GrpcSettings(deadline, maxBatchEvents, maxLinger, maxInFlightBatches, retryMaxAttempts,
                retryInitialDelay,
                retryMaxDelay, 0.2, circuitFailureThreshold, circuitOpenDelay, circuitSuccessThreshold,
                maxQueuedEventsPerPeer, channelIdleTimeout, Duration.ofSeconds(2));
    }
}
