package io.relaymesh.adapters.memory;

import io.relaymesh.domain.model.Listing;

import java.util.List;

/** The limit rule of the catalog ports, shared by the in-memory catalogs. */
final class Listings {
    private Listings() {
    }

    static void requirePositive(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, got: " + limit);
        }
    }

    /** The first {@code limit} of {@code sorted}, counting them all. */
    static <T> Listing<T> firstOf(List<T> sorted, int limit) {
        return new Listing<>(sorted.subList(0, Math.min(limit, sorted.size())), sorted.size(), sorted.size() > limit);
    }
}
