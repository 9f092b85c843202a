package io.relaymesh.adapters.web.ws;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open a WebSocket ({@code server.allowed_origins}). A browser always
 * sends {@code Origin} on an upgrade, so a page on a foreign site cannot ride on a user's token;
 * a request without {@code Origin} comes from a non-browser client and is let through (such a
 * client could send any Origin anyway). An empty list allows every origin. Immutable.
 *
 * @param allowed origins as {@code scheme://host[:port]}, compared case-insensitively
 */
public record OriginPolicy(Set<String> allowed) {
    public static final OriginPolicy ANY = new OriginPolicy(Set.of());

    public OriginPolicy {
        allowed = allowed.stream().map(o -> o.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether an upgrade with this {@code Origin} header (null when absent) may proceed. */
    public boolean allows(String origin) {
        return origin == null || allowed.isEmpty() || allowed.contains(origin.toLowerCase(Locale.ROOT));
    }
}
