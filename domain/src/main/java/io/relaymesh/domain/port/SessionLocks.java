package io.relaymesh.domain.port;

import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Exclusive sessions: at most one owner per {@link SessionKey} across the cluster. Only the owner
 * may refresh or release a lock (compare-and-set). Implementations are thread-safe.
 */
public interface SessionLocks {

    /** Outcome of an attempt to take a lock. */
    sealed interface Acquisition {
        record Acquired() implements Acquisition {
        }

        record HeldBy(SessionOwner owner) implements Acquisition {
        }
    }

    /** Takes the lock when it is free. */
    Acquisition acquire(SessionKey key, SessionOwner owner, Duration ttl);

    /** Replaces {@code expected} by {@code owner} atomically; false when {@code expected} no longer holds it. */
    boolean takeOver(SessionKey key, SessionOwner expected, SessionOwner owner, Duration ttl);

    /** Extends the lock when {@code owner} still holds it; false when it does not. */
    boolean refresh(SessionKey key, SessionOwner owner, Duration ttl);

    /**
     * Extends many locks in one round trip.
     *
     * @return the keys whose lock the given owner no longer holds
     */
    Set<SessionKey> refreshAll(Map<SessionKey, SessionOwner> held, Duration ttl);

    /** Deletes the lock when {@code owner} holds it; false when it does not. */
    boolean release(SessionKey key, SessionOwner owner);

    /** Current owner, if any. */
    Optional<SessionOwner> owner(SessionKey key);
}
