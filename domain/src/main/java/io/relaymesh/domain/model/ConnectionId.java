package io.relaymesh.domain.model;

import java.util.Objects;

/** Identity of one WebSocket connection, unique within its pod. */
public record ConnectionId(String value) {
    public ConnectionId {
        Objects.requireNonNull(value, "connection id");
        if (value.isBlank()) {
            throw new IllegalArgumentException("connection id must not be empty");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
