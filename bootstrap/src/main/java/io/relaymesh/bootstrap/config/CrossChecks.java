package io.relaymesh.bootstrap.config;

import static io.relaymesh.bootstrap.config.ConfigKey.*;

import java.time.Duration;

/**
 * Checks that span several keys: each value may be fine alone yet the combination breaks the
 * gateway (a lock that expires before it is refreshed, a pong deadline before the next ping).
 * Keys that already have a problem are skipped, so one mistake is reported once.
 */
final class CrossChecks {
    private final RawValues raw;

    private CrossChecks(RawValues raw) {
        this.raw = raw;
    }

    static void check(RelaymeshConfig config, RawValues raw) {
        CrossChecks checks = new CrossChecks(raw);
        checks.server(config.server());
        checks.auth(config.auth());
        checks.app(config.app());
        checks.rooms(config.dialects().rooms(), config.server());
        checks.adaptive(config.adaptiveTtl().sessionLock(), config.app(), ADAPTIVE_TTL_SESSION_LOCK_ENABLED,
                ADAPTIVE_TTL_SESSION_LOCK_MIN_TTL_SECONDS, ADAPTIVE_TTL_SESSION_LOCK_MAX_TTL_SECONDS);
        checks.adaptive(config.adaptiveTtl().messageRoute(), config.app(), ADAPTIVE_TTL_MESSAGE_ROUTE_ENABLED,
                ADAPTIVE_TTL_MESSAGE_ROUTE_MIN_TTL_SECONDS, ADAPTIVE_TTL_MESSAGE_ROUTE_MAX_TTL_SECONDS);
    }

    private void server(ServerConfig server) {
        if (raw.valid(SERVER_HTTP_PORT, SERVER_GRPC_PORT) && server.httpPort() != 0
                && server.httpPort() == server.grpcPort()) {
            raw.reject(SERVER_GRPC_PORT, server.grpcPort() + " is also server.http_port (expected a different port)");
        }
    }

    private void rooms(RoomsConfig rooms, ServerConfig server) {
        if (!rooms.enabled() || rooms.listenerPort() == 0 || !raw.valid(DIALECTS_ROOMS_LISTENER_PORT)) {
            return;
        }
        int port = rooms.listenerPort();
        if (raw.valid(SERVER_HTTP_PORT) && port == server.httpPort() || raw.valid(SERVER_GRPC_PORT) && port == server.grpcPort()) {
            raw.reject(DIALECTS_ROOMS_LISTENER_PORT, port + " is also server.http_port or server.grpc_port"
                    + " (expected a port of its own)");
        }
        if (!rooms.listenerTls(server).enabled() && raw.valid(DIALECTS_ROOMS_TLS_CERT_FILE, DIALECTS_ROOMS_TLS_KEY_FILE,
                SERVER_TLS_CERT_FILE, SERVER_TLS_KEY_FILE)) {
            raw.reject(DIALECTS_ROOMS_LISTENER_PORT, port + " needs TLS (the listener serves wss:// only): set "
                    + DIALECTS_ROOMS_TLS_CERT_FILE.path() + " and " + DIALECTS_ROOMS_TLS_KEY_FILE.path()
                    + " (or server.tls_cert_file and server.tls_key_file), or set it to 0");
        }
    }

    private void auth(AuthConfig auth) {
        atMost(AUTH_DEFAULT_TOKEN_TTL_SECONDS, auth.defaultTokenTtl(), AUTH_MAX_TOKEN_TTL_SECONDS, auth.maxTokenTtl());
        // Separate keys are the point of separate user and admin credentials.
        differ(AUTH_ADMIN_SECRET_TOKEN, auth.adminSecretToken(), AUTH_SECRET_TOKEN, auth.secretToken());
        differ(AUTH_ADMIN_TOKEN_AES_KEY, auth.adminTokenAesKey(), AUTH_TOKEN_AES_KEY, auth.tokenAesKey());
        // A client key is public: equal to a server key, it would hand that key to every browser.
        for (ConfigKey client : new ConfigKey[]{AUTH_CLIENT_API_KEY, AUTH_ADMIN_CLIENT_API_KEY}) {
            String value = client == AUTH_CLIENT_API_KEY ? auth.clientApiKey() : auth.adminClientApiKey();
            differ(client, value, AUTH_SECRET_TOKEN, auth.secretToken());
            differ(client, value, AUTH_ADMIN_SECRET_TOKEN, auth.adminSecretToken());
        }
        differ(AUTH_ADMIN_CLIENT_API_KEY, auth.adminClientApiKey(), AUTH_CLIENT_API_KEY, auth.clientApiKey());
    }

    private void app(AppConfig app) {
        if (raw.valid(APP_PONG_WAIT_SECONDS, APP_PING_INTERVAL_SECONDS)
                && app.pongWait().compareTo(app.pingInterval()) <= 0) {
            raw.reject(APP_PONG_WAIT_SECONDS, app.pongWait().toSeconds() + " must exceed "
                    + APP_PING_INTERVAL_SECONDS.path() + " (" + app.pingInterval().toSeconds() + ")");
        }
        if (raw.valid(APP_WEBSOCKET_MAX_BACKLOG_BYTES, APP_WEBSOCKET_HARD_BACKLOG_BYTES)
                && app.websocketHardBacklogBytes() < app.websocketMaxBacklogBytes()) {
            raw.reject(APP_WEBSOCKET_HARD_BACKLOG_BYTES, app.websocketHardBacklogBytes() + " must be at least "
                    + APP_WEBSOCKET_MAX_BACKLOG_BYTES.path() + " (" + app.websocketMaxBacklogBytes() + ")");
        }
        refreshedInTime(APP_SESSION_TTL_SECONDS, app.sessionTtl(), app, "session locks");
        refreshedInTime(APP_ROUTE_TTL_SECONDS, app.routeTtl(), app, "routes");
    }

    private void adaptive(AdaptiveTtl ttl, AppConfig app, ConfigKey enabled, ConfigKey min, ConfigKey max) {
        atMost(min, ttl.minTtl(), max, ttl.maxTtl());
        if (ttl.enabled() && raw.valid(enabled)) {
            refreshedInTime(min, ttl.minTtl(), app, "idle entries");
        }
    }

    /** The refresh interval must be shorter than {@code ttl}, or entries lapse between refreshes. */
    private void refreshedInTime(ConfigKey ttlKey, Duration ttl, AppConfig app, String what) {
        Duration refresh = app.ttlRefreshInterval();
        if (raw.valid(ttlKey, APP_TTL_REFRESH_INTERVAL_SECONDS) && refresh.compareTo(ttl) >= 0) {
            raw.reject(APP_TTL_REFRESH_INTERVAL_SECONDS, refresh.toSeconds() + " must be less than "
                    + ttlKey.path() + " (" + ttl.toSeconds() + "), or " + what + " expire between refreshes");
        }
    }

    private void atMost(ConfigKey smallKey, Duration small, ConfigKey bigKey, Duration big) {
        if (raw.valid(smallKey, bigKey) && small.compareTo(big) > 0) {
            raw.reject(smallKey, small.toSeconds() + " must not exceed " + bigKey.path() + " (" + big.toSeconds() + ")");
        }
    }

    private void differ(ConfigKey key, String value, ConfigKey otherKey, String other) {
        if (raw.valid(key, otherKey) && !value.isEmpty() && value.equals(other)) {
            raw.reject(key, "must differ from " + otherKey.path());
        }
    }
}
