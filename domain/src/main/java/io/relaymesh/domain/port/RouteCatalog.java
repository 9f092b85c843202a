package io.relaymesh.domain.port;

import io.relaymesh.domain.model.Listing;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;

import java.util.Set;
import java.util.function.Predicate;

/**
 * The read side of the route registry: which route keys have live members, cluster-wide, for
 * operators. The work of one listing is bounded, as in {@link SessionCatalog}. Thread-safe.
 */
public interface RouteCatalog {

    /** A route key and its unexpired member pods (never empty). */
    record Route(RouteKey key, Set<PodId> pods) {
        public Route {
            pods = Set.copyOf(pods);
        }
    }

    /**
     * The route keys with at least one unexpired member whose key {@code matching} accepts, in key
     * order, at most {@code limit}.
     *
     * @throws IllegalArgumentException when {@code limit} is not positive
     */
    Listing<Route> list(Predicate<RouteKey> matching, int limit);
}
