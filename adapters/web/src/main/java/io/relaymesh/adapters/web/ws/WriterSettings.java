package io.relaymesh.adapters.web.ws;

import java.time.Duration;

/**
 * Per-connection buffer settings, read on every offer so a reload applies at once.
 *
 * @param bufferSize   frames queued per connection before the policy applies
 * @param dropOldest   true: drop the oldest queued event; false (block): wait up to blockTimeout,
 *                     then close the connection as a slow consumer
 * @param blockTimeout longest wait for room under the block policy
 */
public record WriterSettings(int bufferSize, boolean dropOldest, Duration blockTimeout) {
    public WriterSettings {
        if (bufferSize <= 0) {
            throw new IllegalArgumentException("buffer size must be positive");
        }
    }
}
