package io.relaymesh.bootstrap.config;

import static io.relaymesh.bootstrap.config.ConfigKey.*;

import java.util.EnumMap;
import java.util.Map;

/**
 * A loaded configuration read back key by key, each value in the unit its key is written in
 * (seconds for {@code _seconds}, milliseconds for {@code _ms}, the wire name of a choice), so that
 * two configurations can be compared and a change reported the way the operator wrote it.
 */
final class ConfigValues {
    private ConfigValues() {
    }

    /** Every key's value in {@code config}; a key missing here is a bug the tests catch. */
    static Map<ConfigKey, Object> of(RelaymeshConfig config) {
        Map<ConfigKey, Object> v = new EnumMap<>(ConfigKey.class);
        ServerConfig server = config.server();
        v.put(SERVER_HTTP_PORT, server.httpPort());
        v.put(SERVER_GRPC_PORT, server.grpcPort());
        v.put(SERVER_HOST, server.host());
        v.put(SERVER_POD_ID, server.podId());
        v.put(SERVER_ENABLE_REFLECTION, server.enableReflection());
        v.put(SERVER_GRPC_ADVERTISE_ADDRESS, server.grpcAdvertiseAddress());
        v.put(SERVER_MAX_CONNECTIONS, server.maxConnections());
        v.put(SERVER_MAX_FRAME_BYTES, server.maxFrameBytes());
        v.put(SERVER_SHUTDOWN_TIMEOUT_SECONDS, server.shutdownTimeout().toSeconds());
        v.put(SERVER_DASHBOARDS_ENABLED, server.dashboardsEnabled());
        v.put(SERVER_ALLOWED_ORIGINS, server.allowedOrigins());
        v.put(SERVER_TLS_CERT_FILE, server.tls().certFile());
        v.put(SERVER_TLS_KEY_FILE, server.tls().keyFile());
        PodAuthConfig pods = server.podAuth();
        v.put(SERVER_CLUSTER_SECRET, pods.clusterSecret());
        v.put(SERVER_CLUSTER_SECRET_PREVIOUS, pods.previousClusterSecret());
        v.put(SERVER_GRPC_TLS_CERT_FILE, pods.tlsCertFile());
        v.put(SERVER_GRPC_TLS_KEY_FILE, pods.tlsKeyFile());
        v.put(SERVER_GRPC_TLS_CA_FILE, pods.tlsCaFile());
        v.put(SERVER_GRPC_ALLOW_UNAUTHENTICATED, pods.allowUnauthenticated());
        ClientLimitsConfig limits = server.clientLimits();
        v.put(SERVER_REQUEST_HEADER_TIMEOUT_SECONDS, limits.requestHeaderTimeout().toSeconds());
        v.put(SERVER_MAX_CONNECTIONS_PER_IP, limits.maxConnectionsPerIp());
        v.put(SERVER_UPGRADES_PER_IP_PER_SECOND, limits.upgradesPerIpPerSecond());
        v.put(SERVER_UPGRADE_BURST_PER_IP, limits.upgradeBurstPerIp());
        v.put(SERVER_REQUESTS_PER_IP_PER_SECOND, limits.requestsPerIpPerSecond());
        v.put(SERVER_REQUEST_BURST_PER_IP, limits.requestBurstPerIp());
        v.put(SERVER_TRUSTED_PROXIES, limits.trustedProxies());

        NatsConfig nats = config.nats();
        v.put(NATS_URL, nats.url());
        v.put(NATS_STREAM_NAME, nats.streamName());
        v.put(NATS_CONSUMER_NAME, nats.consumerName());
        v.put(NATS_RETRY_ON_FAILED_CONNECT, nats.retryOnFailedConnect());
        v.put(NATS_ACK_WAIT_SECONDS, nats.ackWait().toSeconds());
        v.put(NATS_MAX_DELIVER, nats.maxDeliver());
        v.put(NATS_NAK_DELAY_MS, nats.nakDelay().toMillis());
        v.put(NATS_MAX_IN_FLIGHT, nats.maxInFlight());
        v.put(NATS_TLS_CA_FILE, nats.tls().caFile());
        v.put(NATS_TLS_CERT_FILE, nats.tls().certFile());
        v.put(NATS_TLS_KEY_FILE, nats.tls().keyFile());
        v.put(NATS_CREDS_FILE, nats.credsFile());
        v.put(NATS_NKEY_FILE, nats.nkeyFile());
        v.put(NATS_ALLOW_INSECURE_TLS, nats.allowInsecureTls());
        v.put(NATS_STREAM_MAX_AGE_SECONDS, nats.streamMaxAge().toSeconds());
        v.put(NATS_STREAM_MAX_BYTES, nats.streamMaxBytes());

        RedisConfig redis = config.redis();
        v.put(REDIS_ADDRESS, redis.address());
        v.put(REDIS_USERNAME, redis.username());
        v.put(REDIS_PASSWORD, redis.password());
        v.put(REDIS_KEY_PREFIX, redis.keyPrefix());
        v.put(REDIS_TLS, redis.tls());
        v.put(REDIS_TLS_CA_FILE, redis.tlsFiles().caFile());
        v.put(REDIS_TLS_CERT_FILE, redis.tlsFiles().certFile());
        v.put(REDIS_TLS_KEY_FILE, redis.tlsFiles().keyFile());

        AuthConfig auth = config.auth();
        v.put(AUTH_SECRET_TOKEN, auth.secretToken());
        v.put(AUTH_TOKEN_AES_KEY, auth.tokenAesKey());
        v.put(AUTH_ADMIN_SECRET_TOKEN, auth.adminSecretToken());
        v.put(AUTH_ADMIN_TOKEN_AES_KEY, auth.adminTokenAesKey());
        v.put(AUTH_TOKEN_CACHE_TTL_SECONDS, auth.tokenCacheTtl().toSeconds());
        v.put(AUTH_DEFAULT_TOKEN_TTL_SECONDS, auth.defaultTokenTtl().toSeconds());
        v.put(AUTH_MAX_TOKEN_TTL_SECONDS, auth.maxTokenTtl().toSeconds());
        v.put(AUTH_KEY_ROTATION_OVERLAP_SECONDS, auth.keyRotationOverlap().toSeconds());
        v.put(AUTH_JWT_SECRET, auth.jwt().secret());
        v.put(AUTH_JWKS_FILE, auth.jwt().jwksFile());
        v.put(AUTH_JWKS_URL, auth.jwt().jwksUrl());
        v.put(AUTH_JWT_ISSUER, auth.jwt().issuer());
        v.put(AUTH_JWT_AUDIENCE, auth.jwt().audience());
        v.put(AUTH_JWT_LEEWAY_SECONDS, auth.jwt().leeway().toSeconds());
        v.put(AUTH_CLIENT_API_KEY, auth.clientApiKey());
        v.put(AUTH_ADMIN_CLIENT_API_KEY, auth.adminClientApiKey());
        v.put(AUTH_WS_ACCEPTS_SECRET_TOKEN, auth.wsAcceptsSecretToken());

        AppConfig app = config.app();
        v.put(APP_SESSION_TTL_SECONDS, app.sessionTtl().toSeconds());
        v.put(APP_ROUTE_TTL_SECONDS, app.routeTtl().toSeconds());
        v.put(APP_TTL_REFRESH_INTERVAL_SECONDS, app.ttlRefreshInterval().toSeconds());
        v.put(APP_WEBSOCKET_MESSAGE_BUFFER_SIZE, app.websocketMessageBufferSize());
        v.put(APP_WEBSOCKET_BACKPRESSURE_DROP_POLICY, app.websocketBackpressureDropPolicy().wireName());
        v.put(APP_WEBSOCKET_BLOCK_TIMEOUT_MS, app.websocketBlockTimeout().toMillis());
        v.put(APP_PING_INTERVAL_SECONDS, app.pingInterval().toSeconds());
        v.put(APP_PONG_WAIT_SECONDS, app.pongWait().toSeconds());
        v.put(APP_CLIENT_MAX_MESSAGES_PER_SECOND, app.clientMaxMessagesPerSecond());
        v.put(APP_CLIENT_MESSAGE_BURST, app.clientMessageBurst());
        v.put(APP_SESSION_TAKEOVER_TIMEOUT_MS, app.sessionTakeoverTimeout().toMillis());
        v.put(APP_LOG_LEVEL, app.logLevel().wireName());
        v.put(APP_LOG_FORMAT, app.logFormat().wireName());
        v.put(APP_WEBSOCKET_STALL_TIMEOUT_MS, app.websocketStallTimeout().toMillis());
        v.put(APP_WEBSOCKET_MAX_BACKLOG_BYTES, app.websocketMaxBacklogBytes());
        v.put(APP_WEBSOCKET_HARD_BACKLOG_BYTES, app.websocketHardBacklogBytes());
        v.put(APP_RESUME_HISTORY_EVENTS, app.resumeHistoryEvents());
        v.put(APP_RESUME_MAX_EVENTS, app.resumeMaxEvents());

        RoomsConfig rooms = config.dialects().rooms();
        v.put(DIALECTS_ROOMS_ENABLED, rooms.enabled());
        v.put(DIALECTS_ROOMS_PATH, rooms.path());
        v.put(DIALECTS_ROOMS_LISTENER_PORT, rooms.listenerPort());
        v.put(DIALECTS_ROOMS_TLS_CERT_FILE, rooms.tls().certFile());
        v.put(DIALECTS_ROOMS_TLS_KEY_FILE, rooms.tls().keyFile());
        v.put(DIALECTS_ROOMS_MAX_DATA_BYTES, rooms.maxDataBytes());
        v.put(DIALECTS_ROOMS_MAX_PEERS_PER_TOPIC, rooms.maxPeersPerTopic());
        v.put(DIALECTS_ROOMS_MAX_BYTES_PER_SECOND, rooms.maxBytesPerSecond());
        v.put(DIALECTS_ROOMS_MAX_FRAMES_PER_SECOND, rooms.maxFramesPerSecond());
        v.put(DIALECTS_ROOMS_AUTH_REQUIRED, rooms.authRequired());
        v.put(DIALECTS_ROOMS_STATS_INTERVAL_SECONDS, rooms.statsInterval().toSeconds());

        adaptive(v, config.adaptiveTtl().sessionLock(), ADAPTIVE_TTL_SESSION_LOCK_ENABLED,
                ADAPTIVE_TTL_SESSION_LOCK_MIN_TTL_SECONDS, ADAPTIVE_TTL_SESSION_LOCK_MAX_TTL_SECONDS,
                ADAPTIVE_TTL_SESSION_LOCK_ACTIVITY_THRESHOLD_SECONDS);
        adaptive(v, config.adaptiveTtl().messageRoute(), ADAPTIVE_TTL_MESSAGE_ROUTE_ENABLED,
                ADAPTIVE_TTL_MESSAGE_ROUTE_MIN_TTL_SECONDS, ADAPTIVE_TTL_MESSAGE_ROUTE_MAX_TTL_SECONDS,
                ADAPTIVE_TTL_MESSAGE_ROUTE_ACTIVITY_THRESHOLD_SECONDS);

        ConversationsDialectConfig conversations = config.dialects().conversations();
        v.put(DIALECTS_CONVERSATIONS_ENABLED, conversations.enabled());
        v.put(DIALECTS_CONVERSATIONS_PATH, conversations.path());
        v.put(DIALECTS_CONVERSATIONS_TYPING_EXPIRY_SECONDS, conversations.typingExpiry().toSeconds());
        v.put(DIALECTS_CONVERSATIONS_PRESENCE_EXPIRY_SECONDS, conversations.presenceExpiry().toSeconds());
        v.put(DIALECTS_CONVERSATIONS_IDLE_TIMEOUT_SECONDS, conversations.idleTimeout().toSeconds());
        v.put(DIALECTS_CONVERSATIONS_MAX_MESSAGE_BYTES, conversations.maxMessageBytes());
        v.put(DIALECTS_CONVERSATIONS_AUTH_TIMEOUT_SECONDS, conversations.authTimeout().toSeconds());
        v.put(DIALECTS_CONVERSATIONS_REDIS_PUBSUB_ENABLED, conversations.redisPubsubEnabled());
        v.put(DIALECTS_CONVERSATIONS_REDIS_PUBSUB_DEDUP_SECONDS, conversations.redisPubsubDedup().toSeconds());
        v.put(DIALECTS_CONVERSATIONS_CONVERSATIONS_CLAIM, conversations.conversationsClaim());
        v.put(DIALECTS_CONVERSATIONS_ALLOW_WITHOUT_CLAIM, conversations.allowWithoutClaim());
        topics(v, config.dialects().topics());

        MailboxDialectConfig mailbox = config.dialects().mailbox();
        v.put(DIALECTS_MAILBOX_ENABLED, mailbox.enabled());
        v.put(DIALECTS_MAILBOX_PATH, mailbox.path());
        v.put(DIALECTS_MAILBOX_MAX_TTL_SECONDS, mailbox.maxTtlSeconds());
        v.put(DIALECTS_MAILBOX_SWEEP_INTERVAL_SECONDS, mailbox.sweepInterval().toSeconds());
        v.put(DIALECTS_MAILBOX_STORE_PATH, mailbox.storePath());
        v.put(DIALECTS_MAILBOX_REQUIRE_TOKEN, mailbox.requireToken());
        v.put(DIALECTS_MAILBOX_MAX_PAYLOAD_BYTES, mailbox.maxPayloadBytes());
        v.put(DIALECTS_MAILBOX_DEFAULT_PULL_LIMIT, mailbox.defaultPullLimit());
        v.put(DIALECTS_MAILBOX_MAX_PULL_LIMIT, mailbox.maxPullLimit());
        return v;
    }

    private static void topics(Map<ConfigKey, Object> v, TopicsDialectConfig t) {
        v.put(DIALECTS_TOPICS_ENABLED, t.enabled());
        v.put(DIALECTS_TOPICS_PATH, t.path());
        v.put(DIALECTS_TOPICS_RETENTION_SECONDS, t.retention().toSeconds());
        v.put(DIALECTS_TOPICS_MAX_MESSAGES_PER_TOPIC, t.maxMessagesPerTopic());
        v.put(DIALECTS_TOPICS_MAX_PAYLOAD_BYTES, t.maxPayloadBytes());
        v.put(DIALECTS_TOPICS_MAX_BULK_MESSAGES, t.maxBulkMessages());
        v.put(DIALECTS_TOPICS_PUBLISH_RATE_PER_SECOND, t.publishRatePerSecond());
        v.put(DIALECTS_TOPICS_PUBLISH_BURST, t.publishBurst());
        v.put(DIALECTS_TOPICS_MAX_POLL_TIMEOUT_SECONDS, t.maxPollTimeout().toSeconds());
        v.put(DIALECTS_TOPICS_MAX_POLL_MESSAGES, t.maxPollMessages());
        v.put(DIALECTS_TOPICS_REPLAY_LIMIT, t.replayLimit());
        v.put(DIALECTS_TOPICS_MAX_TOPICS_PER_CLIENT, t.maxTopicsPerClient());
        v.put(DIALECTS_TOPICS_MAX_ACKS_PER_SECOND, t.maxAcksPerSecond());
        v.put(DIALECTS_TOPICS_STORE_PATH, t.storePath());
    }

    private static void adaptive(Map<ConfigKey, Object> v, AdaptiveTtl ttl, ConfigKey enabled, ConfigKey min,
            ConfigKey max, ConfigKey threshold) {
        v.put(enabled, ttl.enabled());
        v.put(min, ttl.minTtl().toSeconds());
        v.put(max, ttl.maxTtl().toSeconds());
        v.put(threshold, ttl.activityThreshold().toSeconds());
    }
}
