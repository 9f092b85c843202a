package io.relaymesh.adapters.memory;

import io.relaymesh.domain.port.Clock;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told, so expiry can be tested without waiting. */
final class ManualClock implements Clock {
    private final AtomicLong millis = new AtomicLong(Instant.parse("2030-01-01T00:00:00Z").toEpochMilli());

    @Override
    public Instant now() {
        return Instant.ofEpochMilli(millis.get());
    }

    void advance(Duration duration) {
        millis.addAndGet(duration.toMillis());
    }
}
