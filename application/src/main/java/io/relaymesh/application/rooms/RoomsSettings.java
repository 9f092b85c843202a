package io.relaymesh.application.rooms;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timings of the peer rooms; replaced whole on reload.
 *
 * @param maxDataBytes       largest {@code data} payload a peer may send, decoded bytes
 * @param maxPeersPerTopic   peers one topic may hold across the cluster; 0 = no cap
 * @param maxBytesPerSecond  bytes of frames one connection may send per second (one second's worth at once); 0 = no limit
 * @param maxFramesPerSecond frames one connection may send per second (one second's worth at once); 0 = no limit
 * @param authRequired       whether a join needs a JWT naming the topic
 * @param refreshInterval    how often this pod re-asserts its peers in the shared roster
 * @param rosterTtl          how long the roster keeps a topic nobody refreshes
 * @param statsInterval      how often topic statistics are logged
 */
public record RoomsSettings(int maxDataBytes, int maxPeersPerTopic, long maxBytesPerSecond, int maxFramesPerSecond,
                            boolean authRequired, Duration refreshInterval, Duration rosterTtl,
                            Duration statsInterval) {
    public RoomsSettings {
        if (maxDataBytes < 0 || maxPeersPerTopic < 0 || maxBytesPerSecond < 0 || maxFramesPerSecond < 0) {
            throw new IllegalArgumentException("rooms limits must not be negative");
        }
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        Objects.requireNonNull(rosterTtl, "rosterTtl");
        Objects.requireNonNull(statsInterval, "statsInterval");
    }

    /** Length of the base64 text of {@code bytes} bytes (padded). */
    public static long base64Length(long bytes) {
        return (bytes + 2) / 3 * 4;
    }

    /** The largest client frame the dialect reads and answers with a frame of its own (twice the largest data frame). */
    public int maxFrameBytes() {
        return (int) Math.min(Integer.MAX_VALUE - 8, 2 * base64Length(maxDataBytes) + 4096);
    }
}
