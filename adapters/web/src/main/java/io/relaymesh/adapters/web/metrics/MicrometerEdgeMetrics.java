package io.relaymesh.adapters.web.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.relaymesh.adapters.web.limits.ClientLimits;
import io.relaymesh.adapters.web.limits.EdgeMetrics;

/** {@link EdgeMetrics} as Prometheus counters; each label value is registered up front so it shows as 0. Thread-safe. */
public final class MicrometerEdgeMetrics implements EdgeMetrics {
    private final MeterRegistry registry;
    private final Counter headerTimeouts;

    public MicrometerEdgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String what : new String[] {ClientLimits.CONNECTIONS, ClientLimits.UPGRADES, ClientLimits.REQUESTS,
                ClientLimits.PINGS}) {
            rateLimitedCounter(what);
        }
        protocolErrorCounter("invalid_utf8");
        protocolErrorCounter("protocol_violation");
        this.headerTimeouts = Counter.builder("relaymesh_header_timeouts")
                .description("Connections closed for not sending request headers in time, or idling between requests")
                .register(registry);
    }

    @Override
    public void rateLimited(String what) {
        rateLimitedCounter(what).increment();
    }

    @Override
    public void headerTimeout() {
        headerTimeouts.increment();
    }

    @Override
    public void protocolError(String reason) {
        protocolErrorCounter(reason).increment();
    }

    private Counter rateLimitedCounter(String what) {
        return Counter.builder("relaymesh_rate_limited").tag("what", what)
                .description("Connections, upgrades, requests and pings refused for a per-client limit")
                .register(registry);
    }

    private Counter protocolErrorCounter(String reason) {
        return Counter.builder("relaymesh_websocket_protocol_errors").tag("reason", reason)
                .description("WebSockets closed for breaking the protocol (1007 invalid UTF-8, 1002 violation)")
                .register(registry);
    }
}
