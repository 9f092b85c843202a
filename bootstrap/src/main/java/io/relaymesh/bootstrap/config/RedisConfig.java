package io.relaymesh.bootstrap.config;

import java.util.Objects;

/**
 * Redis connection for session locks, routes, the pod directory and the token cache.
 *
 * @param address {@code host:port}; empty in standalone mode
 * @param password empty for none; never printed
 * @param keyPrefix prepended to every key, so several deployments can share one Redis
 */
public record RedisConfig(String address, String password, String keyPrefix) {
    public RedisConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
    }

    /** Whether a Redis server is configured (cluster mode). */
    public boolean enabled() {
        return !address.isEmpty();
    }

    /** Masks the password: config records end up in log lines. */
    @Override
    public String toString() {
        return "RedisConfig[address=" + address + ", password=" + Secrets.mask(password)
                + ", keyPrefix=" + keyPrefix + "]";
    }
}
