package io.relaymesh.application.connection;

/**
 * Token bucket for one connection's inbound frames: {@code burst} frames at once, refilled at
 * {@code perSecond}. Thread-safe (frames of one connection arrive on one thread, but cheap to guard).
 */
public final class FrameRateLimiter {
    private double tokens;
    private long lastNanos;

    public FrameRateLimiter(int burst, long nowNanos) {
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /** Takes one token; false when the connection exceeds its rate. */
    public synchronized boolean tryAcquire(int perSecond, int burst, long nowNanos) {
        double refill = (nowNanos - lastNanos) / 1_000_000_000.0 * perSecond;
        tokens = Math.min(burst, tokens + refill);
        lastNanos = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
