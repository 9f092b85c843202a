package io.relaymesh.adapters.web.limits;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on what one client may hold or ask for. A cap or rate of 0 is off.
 *
 * @param requestHeaderTimeout longest a connection may take to send a request's headers, and
 *                             longest an HTTP keep-alive connection may sit idle
 * @param maxConnectionsPerIp  open connections per client IP (TCP connections of a direct peer;
 *                             WebSockets of a client behind a trusted proxy)
 * @param upgradesPerSecond    sustained WebSocket upgrades per client IP
 * @param upgradeBurst         upgrades per client IP allowed at once above that rate
 * @param requestsPerSecond    sustained HTTP requests per client IP
 * @param requestBurst         requests per client IP allowed at once above that rate
 * @param trustedProxies       peers whose X-Forwarded-For names the client
 */
public record LimitSettings(Duration requestHeaderTimeout, int maxConnectionsPerIp, int upgradesPerSecond,
                            int upgradeBurst, int requestsPerSecond, int requestBurst,
                            TrustedProxies trustedProxies) {
    public LimitSettings {
        Objects.requireNonNull(requestHeaderTimeout, "requestHeaderTimeout");
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        if (requestHeaderTimeout.isNegative() || requestHeaderTimeout.isZero()) {
            throw new IllegalArgumentException("request header timeout must be positive");
        }
        if (maxConnectionsPerIp < 0 || upgradesPerSecond < 0 || requestsPerSecond < 0) {
            throw new IllegalArgumentException("caps and rates must not be negative (0 = off)");
        }
        if ((upgradesPerSecond > 0 && upgradeBurst < 1) || (requestsPerSecond > 0 && requestBurst < 1)) {
            throw new IllegalArgumentException("a burst must be at least 1");
        }
    }

    /** No caps, a generous header deadline: for tests of other things. */
    public static LimitSettings off() {
        return new LimitSettings(Duration.ofSeconds(10), 0, 0, 0, 0, 0, TrustedProxies.none());
    }
}
