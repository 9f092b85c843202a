package io.relaymesh.adapters.web.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.relaymesh.application.auth.TokenMetrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token refusals by reason and revocations by kind as Prometheus counters
 * ({@code relaymesh_token_refusals_total{reason}}, {@code relaymesh_tokens_revoked_total{kind}}).
 * Reasons and kinds come from a fixed set in the code, never from client input, so the label
 * cardinality stays bounded. Thread-safe.
 */
public final class MicrometerTokenMetrics implements TokenMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
    private final Map<String, Counter> revocations = new ConcurrentHashMap<>();

    public MicrometerTokenMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void refused(String reason) {
        refusals.computeIfAbsent(reason, r -> Counter.builder("relaymesh_token_refusals").tag("reason", r)
                .description("Tokens refused at connect, by reason (revoked, expired, jwt_*)")
                .register(registry)).increment();
    }

    @Override
    public void revoked(String kind) {
        revocations.computeIfAbsent(kind, k -> Counter.builder("relaymesh_tokens_revoked").tag("kind", k)
                .description("Token ids revoked through the admin API, by kind of token (user, admin, id)")
                .register(registry)).increment();
    }
}
