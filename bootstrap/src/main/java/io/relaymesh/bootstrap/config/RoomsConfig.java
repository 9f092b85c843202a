package io.relaymesh.bootstrap.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The peer rooms dialect (the PluresDB WSS relay), {@code dialects.rooms.*}.
 *
 * @param enabled            whether the dialect is served at all
 * @param path               its WebSocket path on the main listener ({@code /rooms/ws})
 * @param listenerPort       its own listener's port (TLS, every path a rooms endpoint); 0 = none
 * @param tls                certificate and key files of that listener; disabled = those of {@code server.tls_*}
 * @param maxDataBytes       largest data payload relayed, decoded bytes
 * @param maxPeersPerTopic   peers one topic may hold across the cluster; 0 = no cap
 * @param maxBytesPerSecond  bytes of frames one connection may send per second; 0 = no limit
 * @param maxFramesPerSecond frames one connection may send per second; 0 = no limit
 * @param authRequired       whether a join needs a JWT naming its topic
 * @param statsInterval      how often topic statistics are logged
 */
public record RoomsConfig(boolean enabled, String path, int listenerPort, ListenerTlsConfig tls, int maxDataBytes,
                          int maxPeersPerTopic, int maxBytesPerSecond, int maxFramesPerSecond, boolean authRequired,
                          Duration statsInterval) {
    /** The built-in defaults. */
    public static final RoomsConfig DEFAULTS = new RoomsConfig(true, "/rooms/ws", 0, ListenerTlsConfig.NONE, 65536,
            100, 1048576, 100, true, Duration.ofSeconds(300));

    public RoomsConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(statsInterval, "statsInterval");
    }

    /** The certificate of the dedicated listener: its own files, else the main listener's. */
    public ListenerTlsConfig listenerTls(ServerConfig server) {
        return tls.enabled() ? tls : server.tls();
    }

    /** These settings with the limits a reload may change taken from {@code loaded}; the rest needs a restart. */
    RoomsConfig withLive(RoomsConfig loaded) {
        return new RoomsConfig(enabled, path, listenerPort, tls, maxDataBytes, loaded.maxPeersPerTopic(),
                loaded.maxBytesPerSecond(), loaded.maxFramesPerSecond(), loaded.authRequired(), loaded.statsInterval());
    }
}
