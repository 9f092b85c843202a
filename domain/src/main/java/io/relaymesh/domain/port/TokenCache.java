package io.relaymesh.domain.port;

import java.time.Duration;
import java.util.Optional;

/**
 * Cache of validated token claims, keyed by a hash of the token (never the token itself), so a
 * reconnect storm does not decrypt every token again. Thread-safe.
 */
public interface TokenCache {

    /** Claims cached for {@code tokenHash}, if any and unexpired. */
    <T> Optional<T> get(String tokenHash, Class<T> type);

    /** Caches {@code claims} for {@code ttl}. */
    void put(String tokenHash, Object claims, Duration ttl);
}
