package io.relaymesh.bootstrap.wiring;

import java.time.Duration;

/**
 * Applies new retention limits to the event streams (a config reload of
 * {@code nats.stream_max_age_seconds} / {@code nats.stream_max_bytes}). Standalone has no stream:
 * nothing to do.
 */
@FunctionalInterface
public interface StreamRetention {
    void apply(Duration maxAge, long maxBytes);

    StreamRetention NONE = (maxAge, maxBytes) -> { };
}
