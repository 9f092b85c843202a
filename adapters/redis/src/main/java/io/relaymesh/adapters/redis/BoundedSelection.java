package io.relaymesh.adapters.redis;

import io.relaymesh.domain.model.Listing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps the first {@code limit} of the items offered in key order, and counts every distinct item
 * offered, so that a scan can list a page without holding every match. Not thread-safe: one per
 * listing, fed by the scanning thread.
 */
final class BoundedSelection<T> {
    private final int limit;
    private final TreeSet<T> kept;
    private final Set<T> seen = new HashSet<>();

    BoundedSelection(int limit, Comparator<T> order) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, got: " + limit);
        }
        this.limit = limit;
        this.kept = new TreeSet<>(order);
    }

    /** Offers an item; one offered before (SCAN may repeat keys) is ignored. */
    void offer(T item) {
        if (!seen.add(item)) {
            return;
        }
        kept.add(item);
        if (kept.size() > limit) {
            kept.pollLast();
        }
    }

    /** Whether {@code item} was offered before. */
    boolean seen(T item) {
        return seen.contains(item);
    }

    List<T> kept() {
        return new ArrayList<>(kept);
    }

    /** A listing of {@code items} (the kept ones, as looked up), out of all offered. */
    <R> Listing<R> listing(List<R> items, int vanished, boolean complete) {
        long total = Math.max(items.size(), seen.size() - vanished);
        return new Listing<>(items, total, !complete || total > items.size());
    }
}
