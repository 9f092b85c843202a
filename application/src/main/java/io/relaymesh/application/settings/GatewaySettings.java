package io.relaymesh.application.settings;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings the use cases read on every decision, so a reload takes effect at once.
 *
 * @param sessionTtl             lifetime of a session lock between refreshes
 * @param routeTtl               lifetime of a route membership between refreshes
 * @param refreshInterval        how often locks and routes are refreshed
 * @param takeoverTimeout        how long a new connection waits for an old one on another pod to go
 * @param maxTokenTtl            longest token lifetime that may be issued
 * @param defaultTokenTtl        token lifetime when a request gives none
 * @param tokenCacheTtl          how long validated token claims are cached
 * @param messagesPerSecond      sustained client frames per second per connection
 * @param messageBurst           client frames allowed in a burst
 * @param sessionAdaptive        activity-based TTL of session locks (replaces sessionTtl when on)
 * @param routeAdaptive          activity-based TTL of routes (replaces routeTtl when on)
 */
public record GatewaySettings(Duration sessionTtl, Duration routeTtl, Duration refreshInterval,
                              Duration takeoverTimeout, Duration maxTokenTtl, Duration defaultTokenTtl,
                              Duration tokenCacheTtl, int messagesPerSecond, int messageBurst,
                              AdaptiveTtl sessionAdaptive, AdaptiveTtl routeAdaptive) {
    public GatewaySettings {
        Objects.requireNonNull(sessionAdaptive);
        Objects.requireNonNull(routeAdaptive);
        Objects.requireNonNull(sessionTtl);
        Objects.requireNonNull(routeTtl);
        Objects.requireNonNull(refreshInterval);
        Objects.requireNonNull(takeoverTimeout);
        Objects.requireNonNull(maxTokenTtl);
        Objects.requireNonNull(defaultTokenTtl);
        Objects.requireNonNull(tokenCacheTtl);
        if (messagesPerSecond <= 0 || messageBurst <= 0) {
            throw new IllegalArgumentException("message rate and burst must be positive");
        }
    }

    /** Settings with adaptive TTL off. */
    public GatewaySettings(Duration sessionTtl, Duration routeTtl, Duration refreshInterval, Duration takeoverTimeout,
                           Duration maxTokenTtl, Duration defaultTokenTtl, Duration tokenCacheTtl,
                           int messagesPerSecond, int messageBurst) {
        this(sessionTtl, routeTtl, refreshInterval, takeoverTimeout, maxTokenTtl, defaultTokenTtl, tokenCacheTtl,
                messagesPerSecond, messageBurst, AdaptiveTtl.off(), AdaptiveTtl.off());
    }

    /** TTL of a lock taken now. */
    public Duration initialSessionTtl() {
        return sessionAdaptive.initial(sessionTtl);
    }

    /** TTL of a route registered now. */
    public Duration initialRouteTtl() {
        return routeAdaptive.initial(routeTtl);
    }

    /** Defaults of the primary seed, for tests. */
    public static GatewaySettings defaults() {
        return new GatewaySettings(Duration.ofSeconds(30), Duration.ofSeconds(300), Duration.ofSeconds(10),
                Duration.ofMillis(2000), Duration.ofDays(30), Duration.ofHours(1), Duration.ofSeconds(30), 20, 40);
    }
}
