package io.relaymesh.application.rooms;

/**
 * One connection's allowance of frames and bytes per second: two token buckets, each holding one
 * second's worth (the bytes bucket at least one largest frame, so such a frame can always pass when
 * the connection has been quiet). A frame over either is refused and takes nothing. Thread-safe.
 */
final class RateBudget {
    private double frames;
    private double bytes;
    private long lastNanos;
    /** When the last rate-limit error went to the client: one a second is enough. */
    private long lastWarnedNanos = Long.MIN_VALUE / 2;

    RateBudget(long nowNanos) {
        this.lastNanos = nowNanos;
        this.frames = Double.MAX_VALUE;
        this.bytes = Double.MAX_VALUE;
    }

    /** What refused a frame, or null when it may pass. */
    synchronized String take(int frameBytes, RoomsSettings s, long nowNanos) {
        double seconds = Math.max(0, nowNanos - lastNanos) / 1e9;
        lastNanos = nowNanos;
        double frameCap = Math.max(1, s.maxFramesPerSecond());
        double byteCap = Math.max(s.maxBytesPerSecond(), s.maxFrameBytes());
        frames = Math.min(frameCap, frames + seconds * s.maxFramesPerSecond());
        bytes = Math.min(byteCap, bytes + seconds * s.maxBytesPerSecond());
        boolean framesOk = s.maxFramesPerSecond() == 0 || frames >= 1;
        boolean bytesOk = s.maxBytesPerSecond() == 0 || bytes >= frameBytes;
        if (!framesOk) {
            return "frames";
        }
        if (!bytesOk) {
            return "bytes";
        }
        frames -= 1;
        bytes -= frameBytes;
        return null;
    }

    /** Whether to tell the client about a refused frame now (at most once a second). */
    synchronized boolean warnNow(long nowNanos) {
        if (nowNanos - lastWarnedNanos < 1_000_000_000L) {
            return false;
        }
        lastWarnedNanos = nowNanos;
        return true;
    }
}
