package io.relaymesh.bootstrap.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every configuration key: its dotted path in the YAML file, its built-in default, and whether its
 * value is a secret that must never appear in a message. The single list the file reader, the
 * environment reader and the binder all agree on.
 */
enum ConfigKey {
    SERVER_HTTP_PORT("server.http_port", 8080),
    SERVER_GRPC_PORT("server.grpc_port", 50051),
    SERVER_HOST("server.host", "0.0.0.0"),
    SERVER_POD_ID("server.pod_id", ""),
    SERVER_ENABLE_REFLECTION("server.enable_reflection", false),
    SERVER_GRPC_ADVERTISE_ADDRESS("server.grpc_advertise_address", ""),
    SERVER_MAX_CONNECTIONS("server.max_connections", 0),
    SERVER_MAX_FRAME_BYTES("server.max_frame_bytes", 65536),
    SERVER_SHUTDOWN_TIMEOUT_SECONDS("server.shutdown_timeout_seconds", 10),
    SERVER_DASHBOARDS_ENABLED("server.dashboards_enabled", true),
    SERVER_ALLOWED_ORIGINS("server.allowed_origins", "", Secret.NO, Shape.LIST),
    SERVER_TLS_CERT_FILE("server.tls_cert_file", ""),
    SERVER_TLS_KEY_FILE("server.tls_key_file", ""),
    SERVER_CLUSTER_SECRET("server.cluster_secret", "", Secret.YES),
    SERVER_CLUSTER_SECRET_PREVIOUS("server.cluster_secret_previous", "", Secret.YES),
    SERVER_GRPC_TLS_CERT_FILE("server.grpc_tls_cert_file", ""),
    SERVER_GRPC_TLS_KEY_FILE("server.grpc_tls_key_file", ""),
    SERVER_GRPC_TLS_CA_FILE("server.grpc_tls_ca_file", ""),
    SERVER_GRPC_ALLOW_UNAUTHENTICATED("server.grpc_allow_unauthenticated", false),
    SERVER_REQUEST_HEADER_TIMEOUT_SECONDS("server.request_header_timeout_seconds", 10),
    SERVER_MAX_CONNECTIONS_PER_IP("server.max_connections_per_ip", 256),
    SERVER_UPGRADES_PER_IP_PER_SECOND("server.upgrades_per_ip_per_second", 20),
    SERVER_UPGRADE_BURST_PER_IP("server.upgrade_burst_per_ip", 40),
    SERVER_REQUESTS_PER_IP_PER_SECOND("server.requests_per_ip_per_second", 1000),
    SERVER_REQUEST_BURST_PER_IP("server.request_burst_per_ip", 2000),
    SERVER_TRUSTED_PROXIES("server.trusted_proxies", ""),

    NATS_URL("nats.url", ""),
    NATS_STREAM_NAME("nats.stream_name", "wa_stream"),
    NATS_CONSUMER_NAME("nats.consumer_name", "ws_fanout"),
    NATS_RETRY_ON_FAILED_CONNECT("nats.retry_on_failed_connect", true),
    NATS_ACK_WAIT_SECONDS("nats.ack_wait_seconds", 30),
    NATS_MAX_DELIVER("nats.max_deliver", -1),
    NATS_NAK_DELAY_MS("nats.nak_delay_ms", 1000),
    NATS_MAX_IN_FLIGHT("nats.max_in_flight", 256),
    NATS_TLS_CA_FILE("nats.tls_ca_file", ""),
    NATS_TLS_CERT_FILE("nats.tls_cert_file", ""),
    NATS_TLS_KEY_FILE("nats.tls_key_file", ""),
    NATS_CREDS_FILE("nats.creds_file", ""),
    NATS_NKEY_FILE("nats.nkey_file", ""),
    NATS_ALLOW_INSECURE_TLS("nats.allow_insecure_tls", false),
    NATS_STREAM_MAX_AGE_SECONDS("nats.stream_max_age_seconds", 86400),
    NATS_STREAM_MAX_BYTES("nats.stream_max_bytes", 1073741824L),

    REDIS_ADDRESS("redis.address", ""),
    REDIS_USERNAME("redis.username", ""),
    REDIS_PASSWORD("redis.password", "", Secret.YES),
    REDIS_KEY_PREFIX("redis.key_prefix", ""),
    REDIS_TLS("redis.tls", false),
    REDIS_TLS_CA_FILE("redis.tls_ca_file", ""),
    REDIS_TLS_CERT_FILE("redis.tls_cert_file", ""),
    REDIS_TLS_KEY_FILE("redis.tls_key_file", ""),

    AUTH_SECRET_TOKEN("auth.secret_token", "", Secret.YES),
    AUTH_TOKEN_AES_KEY("auth.token_aes_key", "", Secret.YES),
    AUTH_ADMIN_SECRET_TOKEN("auth.admin_secret_token", "", Secret.YES),
    AUTH_ADMIN_TOKEN_AES_KEY("auth.admin_token_aes_key", "", Secret.YES),
    AUTH_TOKEN_CACHE_TTL_SECONDS("auth.token_cache_ttl_seconds", 30),
    AUTH_DEFAULT_TOKEN_TTL_SECONDS("auth.default_token_ttl_seconds", 3600),
    AUTH_MAX_TOKEN_TTL_SECONDS("auth.max_token_ttl_seconds", 2592000),
    AUTH_KEY_ROTATION_OVERLAP_SECONDS("auth.key_rotation_overlap_seconds", 3600),
    AUTH_JWT_SECRET("auth.jwt_secret", "", Secret.YES),
    AUTH_JWKS_FILE("auth.jwks_file", ""),
    AUTH_JWKS_URL("auth.jwks_url", ""),
    AUTH_JWT_ISSUER("auth.jwt_issuer", ""),
    AUTH_JWT_AUDIENCE("auth.jwt_audience", ""),
    AUTH_JWT_LEEWAY_SECONDS("auth.jwt_leeway_seconds", 60),
    AUTH_CLIENT_API_KEY("auth.client_api_key", "", Secret.YES),
    AUTH_ADMIN_CLIENT_API_KEY("auth.admin_client_api_key", "", Secret.YES),
    AUTH_WS_ACCEPTS_SECRET_TOKEN("auth.ws_accepts_secret_token", false),

    APP_SESSION_TTL_SECONDS("app.session_ttl_seconds", 30),
    APP_ROUTE_TTL_SECONDS("app.route_ttl_seconds", 300),
    APP_TTL_REFRESH_INTERVAL_SECONDS("app.ttl_refresh_interval_seconds", 10),
    APP_WEBSOCKET_MESSAGE_BUFFER_SIZE("app.websocket_message_buffer_size", 100),
    APP_WEBSOCKET_BACKPRESSURE_DROP_POLICY("app.websocket_backpressure_drop_policy", "drop_oldest"),
    APP_WEBSOCKET_BLOCK_TIMEOUT_MS("app.websocket_block_timeout_ms", 100),
    APP_WEBSOCKET_STALL_TIMEOUT_MS("app.websocket_stall_timeout_ms", 2000),
    APP_WEBSOCKET_MAX_BACKLOG_BYTES("app.websocket_max_backlog_bytes", 4194304),
    APP_WEBSOCKET_HARD_BACKLOG_BYTES("app.websocket_hard_backlog_bytes", 16777216),
    APP_PING_INTERVAL_SECONDS("app.ping_interval_seconds", 20),
    APP_PONG_WAIT_SECONDS("app.pong_wait_seconds", 60),
    APP_CLIENT_MAX_MESSAGES_PER_SECOND("app.client_max_messages_per_second", 20),
    APP_CLIENT_MESSAGE_BURST("app.client_message_burst", 40),
    APP_SESSION_TAKEOVER_TIMEOUT_MS("app.session_takeover_timeout_ms", 2000),
    APP_RESUME_HISTORY_EVENTS("app.resume_history_events", 100000),
    APP_RESUME_MAX_EVENTS("app.resume_max_events", 10000),
    APP_LOG_LEVEL("app.log_level", "info"),
    APP_LOG_FORMAT("app.log_format", "auto"),

    ADAPTIVE_TTL_SESSION_LOCK_ENABLED("adaptive_ttl.session_lock.enabled", false),
    ADAPTIVE_TTL_SESSION_LOCK_MIN_TTL_SECONDS("adaptive_ttl.session_lock.min_ttl_seconds", 15),
    ADAPTIVE_TTL_SESSION_LOCK_MAX_TTL_SECONDS("adaptive_ttl.session_lock.max_ttl_seconds", 30),
    ADAPTIVE_TTL_SESSION_LOCK_ACTIVITY_THRESHOLD_SECONDS("adaptive_ttl.session_lock.activity_threshold_seconds", 120),
    ADAPTIVE_TTL_MESSAGE_ROUTE_ENABLED("adaptive_ttl.message_route.enabled", true),
    ADAPTIVE_TTL_MESSAGE_ROUTE_MIN_TTL_SECONDS("adaptive_ttl.message_route.min_ttl_seconds", 300),
    ADAPTIVE_TTL_MESSAGE_ROUTE_MAX_TTL_SECONDS("adaptive_ttl.message_route.max_ttl_seconds", 900),
    ADAPTIVE_TTL_MESSAGE_ROUTE_ACTIVITY_THRESHOLD_SECONDS("adaptive_ttl.message_route.activity_threshold_seconds", 600),

    DIALECTS_CONVERSATIONS_ENABLED("dialects.conversations.enabled", true),
    DIALECTS_CONVERSATIONS_PATH("dialects.conversations.path", "/conversations/ws"),
    DIALECTS_CONVERSATIONS_TYPING_EXPIRY_SECONDS("dialects.conversations.typing_expiry_seconds", 10),
    DIALECTS_CONVERSATIONS_PRESENCE_EXPIRY_SECONDS("dialects.conversations.presence_expiry_seconds", 90),
    DIALECTS_CONVERSATIONS_IDLE_TIMEOUT_SECONDS("dialects.conversations.idle_timeout_seconds", 60),
    DIALECTS_CONVERSATIONS_MAX_MESSAGE_BYTES("dialects.conversations.max_message_bytes", 8192),
    DIALECTS_CONVERSATIONS_AUTH_TIMEOUT_SECONDS("dialects.conversations.auth_timeout_seconds", 10),
    DIALECTS_CONVERSATIONS_REDIS_PUBSUB_ENABLED("dialects.conversations.redis_pubsub_enabled", false),
    DIALECTS_CONVERSATIONS_REDIS_PUBSUB_DEDUP_SECONDS("dialects.conversations.redis_pubsub_dedup_seconds", 10),
    DIALECTS_CONVERSATIONS_CONVERSATIONS_CLAIM("dialects.conversations.conversations_claim", "conversations"),
    DIALECTS_CONVERSATIONS_ALLOW_WITHOUT_CLAIM("dialects.conversations.allow_without_claim", false),

    DIALECTS_TOPICS_ENABLED("dialects.topics.enabled", true),
    DIALECTS_TOPICS_PATH("dialects.topics.path", "/topics/ws"),
    DIALECTS_TOPICS_RETENTION_SECONDS("dialects.topics.retention_seconds", 86400),
    DIALECTS_TOPICS_MAX_MESSAGES_PER_TOPIC("dialects.topics.max_messages_per_topic", 1000000),
    DIALECTS_TOPICS_MAX_PAYLOAD_BYTES("dialects.topics.max_payload_bytes", 65536),
    DIALECTS_TOPICS_MAX_BULK_MESSAGES("dialects.topics.max_bulk_messages", 1000),
    DIALECTS_TOPICS_PUBLISH_RATE_PER_SECOND("dialects.topics.publish_rate_per_second", 10000),
    DIALECTS_TOPICS_PUBLISH_BURST("dialects.topics.publish_burst", 20000),
    DIALECTS_TOPICS_MAX_POLL_TIMEOUT_SECONDS("dialects.topics.max_poll_timeout_seconds", 60),
    DIALECTS_TOPICS_MAX_POLL_MESSAGES("dialects.topics.max_poll_messages", 100),
    DIALECTS_TOPICS_REPLAY_LIMIT("dialects.topics.replay_limit", 10000),
    DIALECTS_TOPICS_MAX_TOPICS_PER_CLIENT("dialects.topics.max_topics_per_client", 100),
    DIALECTS_TOPICS_MAX_ACKS_PER_SECOND("dialects.topics.max_acks_per_second", 2000),
    DIALECTS_TOPICS_STORE_PATH("dialects.topics.store_path", "topics.db"),
    DIALECTS_MAILBOX_ENABLED("dialects.mailbox.enabled", true),
    DIALECTS_MAILBOX_PATH("dialects.mailbox.path", "/mailbox/ws"),
    DIALECTS_MAILBOX_MAX_TTL_SECONDS("dialects.mailbox.max_ttl_seconds", 604800),
    DIALECTS_MAILBOX_SWEEP_INTERVAL_SECONDS("dialects.mailbox.sweep_interval_seconds", 30),
    DIALECTS_MAILBOX_STORE_PATH("dialects.mailbox.store_path", "mailbox.db"),
    DIALECTS_MAILBOX_REQUIRE_TOKEN("dialects.mailbox.require_token", true),
    DIALECTS_MAILBOX_MAX_PAYLOAD_BYTES("dialects.mailbox.max_payload_bytes", 32768),
    DIALECTS_MAILBOX_DEFAULT_PULL_LIMIT("dialects.mailbox.default_pull_limit", 50),
    DIALECTS_MAILBOX_MAX_PULL_LIMIT("dialects.mailbox.max_pull_limit", 500),

    DIALECTS_ROOMS_ENABLED("dialects.rooms.enabled", true),
    DIALECTS_ROOMS_PATH("dialects.rooms.path", "/rooms/ws"),
    DIALECTS_ROOMS_LISTENER_PORT("dialects.rooms.listener_port", 0),
    DIALECTS_ROOMS_TLS_CERT_FILE("dialects.rooms.tls_cert_file", ""),
    DIALECTS_ROOMS_TLS_KEY_FILE("dialects.rooms.tls_key_file", ""),
    DIALECTS_ROOMS_MAX_DATA_BYTES("dialects.rooms.max_data_bytes", 65536),
    DIALECTS_ROOMS_MAX_PEERS_PER_TOPIC("dialects.rooms.max_peers_per_topic", 100),
    DIALECTS_ROOMS_MAX_BYTES_PER_SECOND("dialects.rooms.max_bytes_per_second", 1048576),
    DIALECTS_ROOMS_MAX_FRAMES_PER_SECOND("dialects.rooms.max_frames_per_second", 100),
    DIALECTS_ROOMS_AUTH_REQUIRED("dialects.rooms.auth_required", true),
    DIALECTS_ROOMS_STATS_INTERVAL_SECONDS("dialects.rooms.stats_interval_seconds", 300);

    /** Prefix of every environment variable that configures Relaymesh. */
    static final String ENV_PREFIX = "RELAYMESH_";

    private enum Secret { YES, NO }

    /** A list is written as a YAML list or, in the environment, comma-separated; read as a comma-joined text. */
    private enum Shape { SINGLE, LIST }

    private static final Map<String, ConfigKey> BY_PATH = index(ConfigKey::path);
    private static final Map<String, ConfigKey> BY_ENV = index(ConfigKey::envVariable);

    private final String path;
    private final Object defaultValue;
    private final boolean secret;
    private final boolean list;

    ConfigKey(String path, Object defaultValue) {
        this(path, defaultValue, Secret.NO);
    }

    ConfigKey(String path, Object defaultValue, Secret secret) {
        this(path, defaultValue, secret, Shape.SINGLE);
    }

    ConfigKey(String path, Object defaultValue, Secret secret, Shape shape) {
        this.path = path;
        this.defaultValue = defaultValue;
        this.secret = secret == Secret.YES;
        this.list = shape == Shape.LIST;
    }

    /** Whether the value is a list (a YAML list, or comma-separated text). */
    boolean list() {
        return list;
    }

    /** Dotted path, as written in messages: {@code adaptive_ttl.session_lock.enabled}. */
    String path() {
        return path;
    }

    /** Built-in default: an Integer, Boolean or String, as the YAML reader would produce it. */
    Object defaultValue() {
        return defaultValue;
    }

    boolean secret() {
        return secret;
    }

    /**
     * Whether a changed value only takes effect after a restart: the listening sockets, the pod's
     * identity, the Redis and NATS connections and the dialects (their stores and paths) are set up
     * once. Every key of the other sections (auth, app, adaptive_ttl) is applied by a reload, and so
     * are the peer rooms' limits.
     */
    boolean needsRestart() {
        if (this == NATS_STREAM_MAX_AGE_SECONDS || this == NATS_STREAM_MAX_BYTES) {
            return false; // a reload updates the streams' retention
        }
        if (this == DIALECTS_ROOMS_MAX_PEERS_PER_TOPIC || this == DIALECTS_ROOMS_MAX_BYTES_PER_SECOND
                || this == DIALECTS_ROOMS_MAX_FRAMES_PER_SECOND || this == DIALECTS_ROOMS_AUTH_REQUIRED
                || this == DIALECTS_ROOMS_STATS_INTERVAL_SECONDS) {
            return false; // read on every use (RoomsDialectModule follows reloads)
        }
        if (this == APP_RESUME_HISTORY_EVENTS || this == APP_RESUME_MAX_EVENTS) {
            return true; // the history and the gateway are sized at start
        }
        return path.startsWith("server.") || path.startsWith("nats.") || path.startsWith("redis.")
                || path.startsWith("dialects.");
    }

    /** {@code RELAYMESH_} + the path with '.' as '_', upper case. */
    String envVariable() {
        return ENV_PREFIX + path.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    static Optional<ConfigKey> byPath(String path) {
        return Optional.ofNullable(BY_PATH.get(path));
    }

    static Optional<ConfigKey> byEnvVariable(String name) {
        return Optional.ofNullable(BY_ENV.get(name));
    }

    /** Whether {@code path} names a section (or nested section) that holds keys. */
    static boolean isSection(String path) {
        String prefix = path + ".";
        return BY_PATH.keySet().stream().anyMatch(p -> p.startsWith(prefix));
    }

    // toMap throws on a duplicate, so two paths that map to one env name fail at class load.
    private static Map<String, ConfigKey> index(Function<ConfigKey, String> name) {
        return Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(name, k -> k));
    }
}
