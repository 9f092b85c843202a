package io.relaymesh.adapters.web.ws;

import java.time.Duration;

/**
 * WebSocket liveness: a ping every {@code pingInterval}; a connection silent (no frame, no pong)
 * for {@code pongWait} is dropped and cleaned up.
 */
public record LivenessSettings(Duration pingInterval, Duration pongWait) {
    public LivenessSettings {
        if (pongWait.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("pong wait must exceed the ping interval");
        }
    }
}
