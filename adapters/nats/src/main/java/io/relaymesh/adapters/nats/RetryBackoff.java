package io.relaymesh.adapters.nats;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Doubling delays between {@code first} and {@code max}, with ±20 % jitter so pods do not retry in step. Not thread-safe. */
final class RetryBackoff {
    private final Duration first;
    private final Duration max;
    private Duration next;

    RetryBackoff(Duration first, Duration max) {
        this.first = first;
        this.max = max;
        this.next = first;
    }

    Duration next() {
        Duration current = next;
        Duration doubled = current.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        double jitter = ThreadLocalRandom.current().nextDouble(0.8, 1.2);
        return Duration.ofMillis(Math.max(1, (long) (current.toMillis() * jitter)));
    }

    void reset() {
        next = first;
    }
}
