package io.relaymesh.adapters.web.dialect;

import io.relaymesh.adapters.web.ListenerTls;
import io.relaymesh.application.dialect.Dialect;

import java.util.Objects;

/**
 * A listening port of one dialect's own, beside the main one, for clients that know only a host
 * name: every WebSocket path on it belongs to {@code dialect}, over TLS. Immutable.
 *
 * @param name    the socket's name (log lines, Helidon's named socket)
 * @param port    the port; 0 binds any free port (tests)
 * @param tls     its certificate and key files, read again on every reload
 * @param dialect the dialect every upgrade on it speaks
 */
public record DedicatedListener(String name, int port, ListenerTls tls, Dialect dialect) {
    public DedicatedListener {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(dialect, "dialect");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not 0-65535");
        }
    }
}
