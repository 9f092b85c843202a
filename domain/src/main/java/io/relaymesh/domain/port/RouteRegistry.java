package io.relaymesh.domain.port;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Which pods hold connections for which route keys. A membership expires after its TTL unless
 * refreshed, so a crashed pod's routes age out. Thread-safe.
 */
public interface RouteRegistry {

    /** Adds or extends the membership of {@code pod} in {@code key}. */
    void register(RouteKey key, PodId pod, Duration ttl);

    /** Removes the membership of {@code pod} in {@code key}. */
    void unregister(RouteKey key, PodId pod);

    /** Extends the memberships of {@code pod} in all {@code keys} in one round trip. */
    void refresh(Collection<RouteKey> keys, PodId pod, Duration ttl);

    /** Live (unexpired) pods for each key, in one round trip; keys without pods map to an empty set. */
    Map<RouteKey, Set<PodId>> lookup(Collection<RouteKey> keys);
}
