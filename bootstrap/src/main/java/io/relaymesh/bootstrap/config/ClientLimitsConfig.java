package io.relaymesh.bootstrap.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on what one client may hold or ask for at the HTTP/WebSocket listener. A cap or rate of 0
 * is off.
 *
 * @param requestHeaderTimeout longest a connection may take to send a request's headers (and sit
 *     idle between requests) before it is closed
 * @param maxConnectionsPerIp open connections per client IP
 * @param upgradesPerIpPerSecond sustained WebSocket upgrades per client IP
 * @param upgradeBurstPerIp upgrades per client IP allowed at once above that rate
 * @param requestsPerIpPerSecond sustained HTTP requests per client IP
 * @param requestBurstPerIp requests per client IP allowed at once above that rate
 * @param trustedProxies comma-separated IPs/CIDR blocks whose X-Forwarded-For names the client;
 *     empty: X-Forwarded-For is never read
 */
public record ClientLimitsConfig(
        Duration requestHeaderTimeout,
        int maxConnectionsPerIp,
        int upgradesPerIpPerSecond,
        int upgradeBurstPerIp,
        int requestsPerIpPerSecond,
        int requestBurstPerIp,
        String trustedProxies) {

    public ClientLimitsConfig {
        Objects.requireNonNull(requestHeaderTimeout, "requestHeaderTimeout");
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        if (requestHeaderTimeout.isZero() || requestHeaderTimeout.isNegative()) {
            throw new IllegalArgumentException("requestHeaderTimeout must be positive");
        }
        if (maxConnectionsPerIp < 0 || upgradesPerIpPerSecond < 0 || upgradeBurstPerIp < 1
                || requestsPerIpPerSecond < 0 || requestBurstPerIp < 1) {
            throw new IllegalArgumentException("caps and rates must not be negative, bursts at least 1");
        }
    }
}
