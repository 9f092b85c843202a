package io.relaymesh.adapters.web.limits;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (client IP): {@code ratePerSecond} tokens a second, up to {@code burst}.
 * Memory is bounded: when {@code maxKeys} buckets exist, full ones (idle IPs, which would behave as
 * new) are evicted; if all are busy, new keys share one overflow bucket, so a flood of spoofed
 * source addresses cannot grow the map. Thread-safe.
 */
public final class TokenBuckets {
    private static final String OVERFLOW = "*overflow*";

    private static final class Bucket {
        private double tokens;
        private long lastNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.lastNanos = now;
        }
    }

    private final double ratePerSecond;
    private final double burst;
    private final int maxKeys;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public TokenBuckets(int ratePerSecond, int burst, int maxKeys, LongSupplier nanoTime) {
        if (ratePerSecond <= 0 || burst <= 0 || maxKeys <= 0) {
            throw new IllegalArgumentException("rate, burst and max keys must be positive");
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.maxKeys = maxKeys;
        this.nanoTime = nanoTime;
    }

    /** Takes one token of {@code key}'s bucket; false when it is empty (the caller refuses). */
    public boolean tryTake(String key) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxKeys) {
                evictIdle(now);
            }
            String slot = buckets.size() >= maxKeys ? OVERFLOW : key;
            bucket = buckets.computeIfAbsent(slot, k -> new Bucket(burst, now));
        }
        synchronized (bucket) {
            refill(bucket, now);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return true;
            }
            return false;
        }
    }

    /** Seconds until {@code key} has a token again (for Retry-After), at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (long) Math.ceil(1 / ratePerSecond));
    }

    public int size() {
        return buckets.size();
    }

    private void refill(Bucket bucket, long now) {
        double elapsed = (now - bucket.lastNanos) / 1e9;
        bucket.tokens = Math.min(burst, bucket.tokens + elapsed * ratePerSecond);
        bucket.lastNanos = now;
    }

    private void evictIdle(long now) {
        Iterator<Map.Entry<String, Bucket>> it = buckets.entrySet().iterator();
        while (it.hasNext()) {
            Bucket bucket = it.next().getValue();
            synchronized (bucket) {
                refill(bucket, now);
                if (bucket.tokens >= burst) {
                    it.remove();
                }
            }
        }
    }
}
