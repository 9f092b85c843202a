package io.relaymesh.bootstrap.config;

import java.util.Objects;

/** The whole configuration of one pod, validated; each adapter is given only its own section. */
public record RelaymeshConfig(
        ServerConfig server,
        NatsConfig nats,
        RedisConfig redis,
        AuthConfig auth,
        AppConfig app,
        AdaptiveTtlConfig adaptiveTtl,
        DialectsConfig dialects) {

    public RelaymeshConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(nats, "nats");
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(adaptiveTtl, "adaptiveTtl");
        Objects.requireNonNull(dialects, "dialects");
    }

    /** Standalone mode: neither Redis nor NATS is configured, so in-memory adapters serve one pod. */
    public boolean standalone() {
        return !redis.enabled() && !nats.enabled();
    }

    /** A copy with other auth settings. */
    RelaymeshConfig withAuth(AuthConfig auth) {
        return new RelaymeshConfig(server, nats, redis, auth, app, adaptiveTtl, dialects);
    }
}
