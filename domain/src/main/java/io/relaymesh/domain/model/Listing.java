package io.relaymesh.domain.model;

import java.util.List;

/**
 * A bounded answer to "list what matches": at most a limit of items, how many matched in all, and
 * whether the answer is incomplete (more matched than were kept, or the search stopped at its
 * bound of work before it saw everything, in which case {@code total} counts what it saw).
 */
public record Listing<T>(List<T> items, long total, boolean truncated) {
    public Listing {
        items = List.copyOf(items);
        if (total < items.size()) {
            throw new IllegalArgumentException("total " + total + " is below the " + items.size() + " items listed");
        }
    }
}
