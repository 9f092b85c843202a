package io.relaymesh.bootstrap.wiring;

import io.relaymesh.domain.port.TokenCache;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Scopes the cache of validated tokens by the token keys in force (a fingerprint of them): when a
 * key rotation adds or drops a key, tokens are decrypted again instead of being taken from the
 * cache, so a token of a key that is no longer accepted is refused at once rather than after the
 * cache TTL. Pods configured alike share the scope, and so the cache. Thread-safe if the delegate is.
 */
final class KeyScopedTokenCache implements TokenCache {
    private final TokenCache delegate;
    private final Supplier<String> scope;
    private final java.util.concurrent.Executor writes;

    /**
     * @param writes runs the writes to the delegate: a background executor keeps that round trip
     *               off the connect path (a first connect with a token then costs no extra round
     *               trip); the scoped key is computed before, so a rotation in between cannot file
     *               claims under the new keys' scope
     */
    KeyScopedTokenCache(TokenCache delegate, Supplier<String> scope, java.util.concurrent.Executor writes) {
        this.delegate = delegate;
        this.scope = scope;
        this.writes = writes;
    }

    @Override
    public <T> Optional<T> get(String tokenHash, Class<T> type) {
        return delegate.get(scoped(tokenHash), type);
    }

    @Override
    public void put(String tokenHash, Object claims, Duration ttl) {
        String key = scoped(tokenHash);
        writes.execute(() -> {
            try {
                delegate.put(key, claims, ttl);
            } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(KeyScopedTokenCache.class.getName())
                        .fine("token cache write failed: " + e.getMessage());
            }
        });
    }

    private String scoped(String tokenHash) {
        return scope.get() + ":" + tokenHash;
    }
}
