package io.relaymesh.bootstrap.config;

import java.util.Objects;

/**
 * Redis connection for session locks, routes, the pod directory and the token cache.
 *
 * @param address   {@code host:port}; empty in standalone mode
 * @param username  ACL user ({@code AUTH username password}); empty for the {@code default} user
 * @param password  empty for none; never printed
 * @param keyPrefix prepended to every key, so several deployments can share one Redis
 * @param tls       whether to connect over TLS (certificate and host name verified)
 * @param tlsFiles  CA and optional client certificate for TLS; only with {@code tls}
 */
public record RedisConfig(String address, String username, String password, String keyPrefix, boolean tls,
                          ClientTlsConfig tlsFiles) {
    public RedisConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(tlsFiles, "tlsFiles");
        if (!tls && tlsFiles.anyFile()) {
            throw new IllegalArgumentException("redis TLS files are given but redis.tls is false");
        }
    }

    /** Plain connection, default user: the seed's settings. */
    public RedisConfig(String address, String password, String keyPrefix) {
        this(address, "", password, keyPrefix, false, ClientTlsConfig.NONE);
    }

    /** Whether a Redis server is configured (cluster mode). */
    public boolean enabled() {
        return !address.isEmpty();
    }

    /** Masks the password: config records end up in log lines. File paths are not secret. */
    @Override
    public String toString() {
        return "RedisConfig[address=" + address + ", username=" + username + ", password=" + Secrets.mask(password)
                + ", keyPrefix=" + keyPrefix + ", tls=" + tls + ", tlsFiles=" + tlsFiles + "]";
    }
}
