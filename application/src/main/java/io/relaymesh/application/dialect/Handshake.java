package io.relaymesh.application.dialect;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a client presented when it opened its socket: the path, the query parameters and the
 * headers (names lower-case). Immutable.
 */
public record Handshake(String path, Map<String, List<String>> query, Map<String, String> headers) {
    public Handshake {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }
}
