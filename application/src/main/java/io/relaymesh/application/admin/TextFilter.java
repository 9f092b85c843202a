package io.relaymesh.application.admin;

import java.util.Collection;
import java.util.Locale;

/** The {@code q} of a listing: a case-insensitive substring; empty or null matches everything. Immutable. */
record TextFilter(String needle) {
    TextFilter {
        needle = needle == null ? "" : needle.strip().toLowerCase(Locale.ROOT);
    }

    boolean matches(String text) {
        return needle.isEmpty() || text.toLowerCase(Locale.ROOT).contains(needle);
    }

    boolean matchesAny(Collection<String> texts) {
        if (needle.isEmpty()) {
            return true;
        }
        for (String text : texts) {
            if (matches(text)) {
                return true;
            }
        }
        return false;
    }
}
