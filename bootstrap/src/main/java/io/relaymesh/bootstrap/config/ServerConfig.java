package io.relaymesh.bootstrap.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Listening sockets and identity of this pod.
 *
 * @param httpPort HTTP and WebSocket port; 0 binds any free port (tests)
 * @param grpcPort pod-to-pod gRPC port; 0 binds any free port (tests)
 * @param host interface to bind
 * @param podId this pod's id, already resolved (host name when not configured) and sanitized to
 *     {@code [A-Za-z0-9_-]}
 * @param enableReflection whether the gRPC server offers reflection
 * @param grpcAdvertiseAddress {@code host:port} other pods dial to reach this one, already resolved;
 *     with {@code grpcPort} 0 its port is 0 and the gRPC server must advertise its bound port
 * @param maxConnections explicit cap on open WebSockets, or 0 for automatic (see
 *     {@link #effectiveMaxConnections(long)})
 * @param maxFrameBytes largest inbound WebSocket frame accepted
 * @param shutdownTimeout how long a graceful shutdown may take before connections are cut
 * @param dashboardsEnabled whether the static dashboards are served
 * @param allowedOrigins browser origins ({@code scheme://host[:port]}) that may open WebSockets;
 *     empty = any
 * @param tls certificate and key files of the HTTP/WebSocket listener; disabled for plain HTTP
 * @param podAuth how pods authenticate each other on the gRPC port
 * @param clientLimits per-client bounds at the listener (header deadline, per-IP caps, trusted proxies)
 */
public record ServerConfig(
        int httpPort,
        int grpcPort,
        String host,
        String podId,
        boolean enableReflection,
        String grpcAdvertiseAddress,
        int maxConnections,
        int maxFrameBytes,
        Duration shutdownTimeout,
        boolean dashboardsEnabled,
        List<String> allowedOrigins,
        ListenerTlsConfig tls,
        PodAuthConfig podAuth,
        ClientLimitsConfig clientLimits) {

    /** File descriptors kept back for Redis, NATS, gRPC channels, jars and logs. */
    static final long RESERVED_FILE_DESCRIPTORS = 256;

    /** Used when the open-file limit cannot be read (non-Unix platforms). */
    static final int FALLBACK_MAX_CONNECTIONS = 10_000;

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(podId, "podId");
        Objects.requireNonNull(grpcAdvertiseAddress, "grpcAdvertiseAddress");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        allowedOrigins = List.copyOf(allowedOrigins);
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(podAuth, "podAuth");
        Objects.requireNonNull(clientLimits, "clientLimits");
    }

    /**
     * The connection cap to enforce: 98% of the file descriptors left after a fixed reserve,
     * because each WebSocket holds one descriptor and running out of them breaks Redis and NATS
     * too (and makes accept() kill Helidon's listener); {@code maxConnections}, when set, lowers it
     * but never raises it above that. A pod with 20,000 open files uses ~120 besides its sockets
     * (jars, epoll, logs, Redis/NATS/gRPC), so the reserve plus 2% leaves room for those and for
     * plain HTTP requests while still serving 19,350 WebSockets.
     *
     * @param openFileLimit the process's open-file limit, or a value &lt;= 0 when unknown
     */
    public int effectiveMaxConnections(long openFileLimit) {
        if (openFileLimit <= 0) {
            return maxConnections > 0 ? maxConnections : FALLBACK_MAX_CONNECTIONS;
        }
        long left = openFileLimit - RESERVED_FILE_DESCRIPTORS;
        long usable = left - left / 50;
        int safe = (int) Math.max(1, Math.min(Integer.MAX_VALUE, usable));
        return maxConnections > 0 ? Math.min(maxConnections, safe) : safe;
    }
}
