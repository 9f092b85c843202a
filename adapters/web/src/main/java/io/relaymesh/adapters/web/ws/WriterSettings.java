package io.relaymesh.adapters.web.ws;

import java.time.Duration;

/**
 * Per-connection back-pressure settings, read on every offer so a reload applies at once. A client
 * that reads is never held to {@code bufferSize}: a burst may queue any number of frames for it.
 * The policy acts only on a <em>slow</em> client (see {@link #slow}); the hard byte limit closes
 * any client, whatever the policy.
 *
 * @param bufferSize       frames a slow client may keep queued: beyond it, a client whose socket
 *                         stopped draining (or whose backlog passed {@code maxBacklogBytes}) is slow
 * @param dropOldest       true: a slow client loses its oldest queued events, down to
 *                         {@code bufferSize}; false (block): the delivering thread waits up to
 *                         {@code blockTimeout} for it to catch up, then closes it as a slow consumer
 * @param blockTimeout     longest wait for a slow client under the block policy
 * @param stallTimeout     how long a socket may take to finish a write while frames wait before
 *                         the client counts as not draining
 * @param maxBacklogBytes  bytes of queued and in-flight frames beyond which a client with more than
 *                         {@code bufferSize} frames is slow even while it still reads
 * @param hardBacklogBytes bytes of backlog past which the client is closed (SlowConsumer, 1008)
 *                         under either policy
 */
public record WriterSettings(int bufferSize, boolean dropOldest, Duration blockTimeout, Duration stallTimeout,
                             long maxBacklogBytes, long hardBacklogBytes) {
    public WriterSettings {
        if (bufferSize <= 0) {
            throw new IllegalArgumentException("buffer size must be positive");
        }
        if (stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("stall timeout must be positive");
        }
        if (maxBacklogBytes <= 0 || hardBacklogBytes < maxBacklogBytes) {
            throw new IllegalArgumentException("backlog limits must be positive, the hard one at least the other");
        }
    }

    /**
     * Whether a client is too slow for its backlog: more than {@code bufferSize} frames waiting, and
     * either its socket has not finished a write for {@code stallTimeout} or the backlog holds more
     * than {@code maxBacklogBytes}.
     *
     * @param frames       event frames queued (not yet handed to the socket)
     * @param bytes        bytes of event frames queued or being written
     * @param stalledNanos how long the writer has waited on the socket without finishing a write
     *                     (0 when nothing waits to be written)
     */
    public boolean slow(int frames, long bytes, long stalledNanos) {
        return frames > bufferSize && (bytes > maxBacklogBytes || stalledNanos >= stallTimeout.toNanos());
    }

    /**
     * Whether adding a frame of {@code frameBytes} to a backlog of {@code bytes} passes the hard
     * limit. An empty backlog takes any frame: a lone large event is not a slow client.
     */
    public boolean overHardLimit(long bytes, long frameBytes) {
        return bytes > 0 && bytes + frameBytes > hardBacklogBytes;
    }
}
