package io.relaymesh.adapters.redis;

import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach Redis and how long anything may wait for it. Immutable.
 *
 * @param host         Redis host; with TLS it must match a name (or IP) in the server's certificate
 * @param port         Redis port
 * @param user         ACL user for {@code AUTH user password}; empty for the {@code default} user
 * @param password     AUTH password; empty for none
 * @param keyPrefix    prepended to every key and channel (e.g. {@code "rm:"}); empty by default
 * @param timeout      connect timeout and socket read timeout of every command
 * @param poolMaxTotal most pooled connections at once
 * @param poolMaxWait  how long a caller waits for a pooled connection when all are busy, so that no
 *                     request thread waits forever
 * @param tls          TLS context (trusted CAs, optional client certificate) when Redis is reached over
 *                     TLS; empty for a plain connection. Host names are always verified.
 */
public record RedisSettings(String host, int port, String user, String password, String keyPrefix, Duration timeout,
                            int poolMaxTotal, Duration poolMaxWait, Optional<SSLContext> tls) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_POOL_MAX_TOTAL = 32;
    public static final Duration DEFAULT_POOL_MAX_WAIT = Duration.ofSeconds(2);

    public RedisSettings {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("redis host must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("redis port must be 1..65535, got: " + port);
        }
        user = user == null ? "" : user;
        if (user.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("redis user must not contain whitespace, got: '" + user + "'");
        }
        password = password == null ? "" : password;
        keyPrefix = keyPrefix == null ? "" : keyPrefix;
        if (keyPrefix.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("redis key prefix must not contain whitespace, got: '" + keyPrefix + "'");
        }
        requireMillis("redis timeout", timeout);
        if (poolMaxTotal < 1) {
            throw new IllegalArgumentException("redis pool max total must be at least 1, got: " + poolMaxTotal);
        }
        requireMillis("redis pool max wait", poolMaxWait);
        Objects.requireNonNull(tls, "tls");
    }

    /** Settings for host:port with no password, no prefix and the default timeouts and pool size. */
    public static RedisSettings of(String host, int port) {
        return new RedisSettings(host, port, "", "", "", DEFAULT_TIMEOUT, DEFAULT_POOL_MAX_TOTAL, DEFAULT_POOL_MAX_WAIT,
                Optional.empty());
    }

    public RedisSettings withUser(String newUser) {
        return new RedisSettings(host, port, newUser, password, keyPrefix, timeout, poolMaxTotal, poolMaxWait, tls);
    }

    /** Settings that reach Redis over TLS with {@code context}'s trust (and client certificate, if any). */
    public RedisSettings withTls(SSLContext context) {
        return new RedisSettings(host, port, user, password, keyPrefix, timeout, poolMaxTotal, poolMaxWait,
                Optional.of(context));
    }

    public RedisSettings withPassword(String newPassword) {
        return new RedisSettings(host, port, user, newPassword, keyPrefix, timeout, poolMaxTotal, poolMaxWait, tls);
    }

    public RedisSettings withKeyPrefix(String newKeyPrefix) {
        return new RedisSettings(host, port, user, password, newKeyPrefix, timeout, poolMaxTotal, poolMaxWait, tls);
    }

    public RedisSettings withTimeout(Duration newTimeout) {
        return new RedisSettings(host, port, user, password, keyPrefix, newTimeout, poolMaxTotal, poolMaxWait, tls);
    }

    public RedisSettings withPool(int newPoolMaxTotal, Duration newPoolMaxWait) {
        return new RedisSettings(host, port, user, password, keyPrefix, timeout, newPoolMaxTotal, newPoolMaxWait, tls);
    }

    /** {@code host:port}, for logs and error messages. */
    public String address() {
        return host + ":" + port;
    }

    /** The full Redis key (or channel) for a key without prefix. */
    String key(String unprefixed) {
        return keyPrefix + unprefixed;
    }

    /** The password is never printed. */
    @Override
    public String toString() {
        return "RedisSettings[address=" + address() + ", tls=" + tls.isPresent() + ", user=" + (user.isEmpty() ? "default" : user)
                + ", password=" + (password.isEmpty() ? "none" : "****")
                + ", keyPrefix='" + keyPrefix + "', timeout=" + timeout + ", poolMaxTotal=" + poolMaxTotal
                + ", poolMaxWait=" + poolMaxWait + "]";
    }

    private static void requireMillis(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " must be between 1 ms and " + Integer.MAX_VALUE + " ms, got: " + value);
        }
    }
}
