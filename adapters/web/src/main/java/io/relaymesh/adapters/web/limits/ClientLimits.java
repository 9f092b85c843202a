package io.relaymesh.adapters.web.limits;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The per-IP caps and rates of {@link LimitSettings}: open connections per IP (a map entry per IP
 * with open connections, so its size is bounded by the open sockets), and token buckets for
 * upgrades and requests (bounded, see {@link TokenBuckets}). Every refusal is counted. Thread-safe.
 */
public final class ClientLimits {
    /** Most client IPs with a bucket of their own; beyond, idle ones are evicted. */
    static final int MAX_TRACKED_IPS = 100_000;

    /** The label values of {@code relaymesh_rate_limited_total{what}}. */
    public static final String CONNECTIONS = "connections";
    public static final String UPGRADES = "upgrades";
    public static final String REQUESTS = "requests";
    public static final String PINGS = "pings";

    private final LimitSettings settings;
    private final EdgeMetrics metrics;
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final TokenBuckets upgrades;
    private final TokenBuckets requests;

    public ClientLimits(LimitSettings settings, EdgeMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.upgrades = settings.upgradesPerSecond() > 0 ? new TokenBuckets(settings.upgradesPerSecond(),
                settings.upgradeBurst(), MAX_TRACKED_IPS, System::nanoTime) : null;
        this.requests = settings.requestsPerSecond() > 0 ? new TokenBuckets(settings.requestsPerSecond(),
                settings.requestBurst(), MAX_TRACKED_IPS, System::nanoTime) : null;
    }

    public LimitSettings settings() {
        return settings;
    }

    public EdgeMetrics metrics() {
        return metrics;
    }

    /** The client IP of a request from {@code peer} carrying these X-Forwarded-For values. */
    public String clientIp(String peer, List<String> forwardedFor) {
        return settings.trustedProxies().clientIp(peer, forwardedFor);
    }

    /** Whether connections from {@code peer} are counted by their direct peer (it is not a trusted proxy). */
    public boolean countsByPeer(String peer) {
        return !settings.trustedProxies().trusts(peer);
    }

    /**
     * Counts one more open connection of {@code ip}; false (and nothing counted) when the IP is at
     * its cap. Each true must be matched by one {@link #release}.
     */
    public boolean tryOpen(String ip) {
        int cap = settings.maxConnectionsPerIp();
        if (cap <= 0) {
            return true;
        }
        boolean[] admitted = {false};
        open.compute(ip, (k, count) -> {
            AtomicInteger c = count == null ? new AtomicInteger() : count;
            if (c.get() < cap) {
                c.incrementAndGet();
                admitted[0] = true;
            }
            return c.get() == 0 ? null : c;
        });
        if (!admitted[0]) {
            metrics.rateLimited(CONNECTIONS);
        }
        return admitted[0];
    }

    public void release(String ip) {
        if (settings.maxConnectionsPerIp() <= 0) {
            return;
        }
        open.computeIfPresent(ip, (k, c) -> c.decrementAndGet() <= 0 ? null : c);
    }

    /** Open connections counted for {@code ip}. */
    public int openConnections(String ip) {
        AtomicInteger c = open.get(ip);
        return c == null ? 0 : c.get();
    }

    public boolean allowUpgrade(String ip) {
        return take(upgrades, ip, UPGRADES);
    }

    public boolean allowRequest(String ip) {
        return take(requests, ip, REQUESTS);
    }

    /** Seconds a refused HTTP client should wait (Retry-After). */
    public long requestRetryAfterSeconds() {
        return requests == null ? 1 : requests.retryAfterSeconds();
    }

    private boolean take(TokenBuckets buckets, String ip, String what) {
        if (buckets == null || buckets.tryTake(ip)) {
            return true;
        }
        metrics.rateLimited(what);
        return false;
    }
}
