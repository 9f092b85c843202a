package io.relaymesh.domain.port;

import io.relaymesh.domain.model.Listing;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;

import java.util.function.Predicate;

/**
 * The read side of the session locks: which sessions are held, cluster-wide, for operators. The
 * work of one listing is bounded (a store with millions of keys answers a truncated listing rather
 * than a slow one). Thread-safe.
 */
public interface SessionCatalog {

    /** A held session and its owner. */
    record HeldSession(SessionKey key, SessionOwner owner) {
    }

    /**
     * The held sessions whose key {@code matching} accepts, in key order, at most {@code limit}.
     *
     * @throws IllegalArgumentException when {@code limit} is not positive
     */
    Listing<HeldSession> list(Predicate<SessionKey> matching, int limit);
}
