package io.relaymesh.application.fakes;

import io.relaymesh.domain.port.Clock;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told, so expiry can be tested without waiting. Thread-safe. */
public final class ManualClock implements Clock {
    public static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private final AtomicLong millis = new AtomicLong(START.toEpochMilli());

    @Override
    public Instant now() {
        return Instant.ofEpochMilli(millis.get());
    }

    public void advance(Duration duration) {
        millis.addAndGet(duration.toMillis());
    }
}
