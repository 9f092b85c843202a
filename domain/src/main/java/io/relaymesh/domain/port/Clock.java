package io.relaymesh.domain.port;

import java.time.Instant;

/** Time, as a port so that expiry and TTL logic is testable. */
public interface Clock {
    Instant now();

    default long millis() {
        return now().toEpochMilli();
    }

    /** The system clock. */
    Clock SYSTEM = Instant::now;
}
