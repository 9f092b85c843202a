package io.relaymesh.domain.model;

import java.util.Objects;

/** Who holds a session lock: a connection on a pod. Serialized as {@code podId/connectionId}. */
public record SessionOwner(PodId pod, ConnectionId connection) {
    public SessionOwner {
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(connection, "connection");
    }

    /** The string stored as a lock's value. */
    public String encode() {
        return pod.value() + "/" + connection.value();
    }

    /** Parses {@link #encode()}'s output. */
    public static SessionOwner decode(String encoded) {
        int slash = encoded.indexOf('/');
        if (slash <= 0 || slash == encoded.length() - 1) {
            throw new IllegalArgumentException("session owner must be pod/connection, got: " + encoded);
        }
        return new SessionOwner(new PodId(encoded.substring(0, slash)), new ConnectionId(encoded.substring(slash + 1)));
    }
}
