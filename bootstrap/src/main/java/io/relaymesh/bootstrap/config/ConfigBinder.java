package io.relaymesh.bootstrap.config;

import static io.relaymesh.bootstrap.config.ConfigKey.*;

import io.relaymesh.domain.error.UrlCredentials;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns raw values into the typed records, checking each key on its own (ranges, formats).
 * Checks that span several keys live in {@link CrossChecks}.
 */
final class ConfigBinder {
    private static final int MAX_PORT = 65535;
    private static final int NO_LIMIT = Integer.MAX_VALUE;
    private static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;
    private static final int MAX_SHUTDOWN_SECONDS = 3600;
    private static final int MAX_BUFFER_SIZE = 1_000_000;
    private static final int MIN_API_KEY_LENGTH = 16;
    private static final int MIN_CLUSTER_SECRET_LENGTH = 32;
    private static final int AES_KEY_HEX_LENGTH = 64;
    // RFC 7518: an HS256 key at least as long as the hash output.
    private static final int MIN_JWT_SECRET_BYTES = 32;
    private static final int MAX_JWT_LEEWAY_SECONDS = 600;
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]*");
    private static final Pattern WS_PATH = Pattern.compile("(/[A-Za-z0-9._-]+)+");
    private static final int MAX_ROOMS_DATA_BYTES = 2 * 1024 * 1024;
    private static final Pattern ORIGIN = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^/\\s?#@]+");
    // JetStream stream and consumer names become parts of subjects and file names.
    private static final Set<String> NATS_SCHEMES = Set.of("nats", "tls", "opentls", "ws", "wss");

    private final RawValues raw;
    private final PodIdentity identity;
    private final List<String> notes;

    ConfigBinder(RawValues raw, PodIdentity identity, List<String> notes) {
        this.raw = raw;
        this.identity = identity;
        this.notes = notes;
    }

    RelaymeshConfig bind() {
        return new RelaymeshConfig(server(), nats(), redis(), auth(), app(), adaptiveTtl(), dialects());
    }

    private TopicsDialectConfig topics() {
        String path = raw.text(DIALECTS_TOPICS_PATH);
        if (!path.startsWith("/") || path.equals("/ws") || path.startsWith("/ws/") || path.contains(" ")) {
            raw.reject(DIALECTS_TOPICS_PATH, "\"" + path + "\" must be a path starting with / other than /ws and /ws/..."
                    + " (those belong to the shared endpoint and the primary protocol)");
        }
        String storePath = raw.text(DIALECTS_TOPICS_STORE_PATH);
        if (storePath.isBlank()) {
            raw.reject(DIALECTS_TOPICS_STORE_PATH, "must name the file of the standalone topic store");
        }
        return new TopicsDialectConfig(
                raw.bool(DIALECTS_TOPICS_ENABLED),
                path,
                raw.seconds(DIALECTS_TOPICS_RETENTION_SECONDS, 1, NO_LIMIT),
                raw.integer(DIALECTS_TOPICS_MAX_MESSAGES_PER_TOPIC, 1, NO_LIMIT),
                raw.integer(DIALECTS_TOPICS_MAX_PAYLOAD_BYTES, 1, MAX_FRAME_BYTES),
                raw.integer(DIALECTS_TOPICS_MAX_BULK_MESSAGES, 1, 100_000),
                raw.integer(DIALECTS_TOPICS_PUBLISH_RATE_PER_SECOND, 1, NO_LIMIT),
                raw.integer(DIALECTS_TOPICS_PUBLISH_BURST, 1, NO_LIMIT),
                raw.seconds(DIALECTS_TOPICS_MAX_POLL_TIMEOUT_SECONDS, 1, 3600),
                raw.integer(DIALECTS_TOPICS_MAX_POLL_MESSAGES, 1, 100_000),
                raw.integer(DIALECTS_TOPICS_REPLAY_LIMIT, 0, 1_000_000),
                raw.integer(DIALECTS_TOPICS_MAX_TOPICS_PER_CLIENT, 1, 10_000),
                raw.integer(DIALECTS_TOPICS_MAX_ACKS_PER_SECOND, 1, NO_LIMIT),
                storePath);
    }

    private MailboxDialectConfig mailbox() {
        String path = raw.text(DIALECTS_MAILBOX_PATH);
        if (!path.startsWith("/") || path.equals("/ws") || path.startsWith("/ws/") || path.contains(" ")) {
            raw.reject(DIALECTS_MAILBOX_PATH, "\"" + path + "\" must be a path starting with / other than /ws and /ws/..."
                    + " (those belong to the shared endpoint and the primary protocol)");
        }
        String storePath = raw.text(DIALECTS_MAILBOX_STORE_PATH);
        if (storePath.isBlank()) {
            raw.reject(DIALECTS_MAILBOX_STORE_PATH, "must name the file of the standalone message store");
        }
        int maxPull = raw.integer(DIALECTS_MAILBOX_MAX_PULL_LIMIT, 1, 100_000);
        int defaultPull = raw.integer(DIALECTS_MAILBOX_DEFAULT_PULL_LIMIT, 1, 100_000);
        if (defaultPull > maxPull && raw.valid(DIALECTS_MAILBOX_MAX_PULL_LIMIT, DIALECTS_MAILBOX_DEFAULT_PULL_LIMIT)) {
            raw.reject(DIALECTS_MAILBOX_DEFAULT_PULL_LIMIT, "must not exceed "
                    + DIALECTS_MAILBOX_MAX_PULL_LIMIT.path() + " (" + maxPull + ")");
        }
        return new MailboxDialectConfig(
                raw.bool(DIALECTS_MAILBOX_ENABLED),
                path,
                raw.integer(DIALECTS_MAILBOX_MAX_TTL_SECONDS, 1, NO_LIMIT),
                raw.seconds(DIALECTS_MAILBOX_SWEEP_INTERVAL_SECONDS, 1, 86_400),
                storePath,
                raw.bool(DIALECTS_MAILBOX_REQUIRE_TOKEN),
                raw.integer(DIALECTS_MAILBOX_MAX_PAYLOAD_BYTES, 1, MAX_FRAME_BYTES),
                Math.min(defaultPull, maxPull),
                maxPull);
    }

    private ServerConfig server() {
        int httpPort = raw.integer(SERVER_HTTP_PORT, 0, MAX_PORT);
        int grpcPort = raw.integer(SERVER_GRPC_PORT, 0, MAX_PORT);
        String host = raw.text(SERVER_HOST);
        if (host.isBlank()) {
            raw.reject(SERVER_HOST, "must not be empty (0.0.0.0 listens on every interface)");
        }
        String advertise = raw.text(SERVER_GRPC_ADVERTISE_ADDRESS);
        if (!advertise.isEmpty() && !HostPort.isValid(advertise)) {
            raw.reject(SERVER_GRPC_ADVERTISE_ADDRESS, "\"" + advertise + "\" is not host:port (port 1-65535)");
        }
        return new ServerConfig(
                httpPort,
                grpcPort,
                host,
                identity.podId(raw.text(SERVER_POD_ID), notes),
                raw.bool(SERVER_ENABLE_REFLECTION),
                identity.advertiseAddress(advertise, grpcPort, notes),
                raw.integer(SERVER_MAX_CONNECTIONS, 0, NO_LIMIT),
                raw.integer(SERVER_MAX_FRAME_BYTES, 1, MAX_FRAME_BYTES),
                raw.seconds(SERVER_SHUTDOWN_TIMEOUT_SECONDS, 0, MAX_SHUTDOWN_SECONDS),
                raw.bool(SERVER_DASHBOARDS_ENABLED),
                origins(),
                listenerTls(),
                podAuth(),
                clientLimits());
    }

    /** Origins as browsers send them: scheme, host and optional port, nothing else. */
    private List<String> origins() {
        List<String> origins = raw.list(SERVER_ALLOWED_ORIGINS);
        for (String origin : origins) {
            if (!ORIGIN.matcher(origin).matches()) {
                raw.reject(SERVER_ALLOWED_ORIGINS, "\"" + origin + "\" is not an origin (expected scheme://host or "
                        + "scheme://host:port, e.g. https://app.example.com, with no path)");
            }
        }
        return origins;
    }

    /** Both files or neither; each must be readable now (its contents are checked when the listener starts). */
    private ListenerTlsConfig listenerTls() {
        String cert = raw.text(SERVER_TLS_CERT_FILE);
        String key = raw.text(SERVER_TLS_KEY_FILE);
        if (cert.isEmpty() != key.isEmpty()) {
            raw.reject(cert.isEmpty() ? SERVER_TLS_CERT_FILE : SERVER_TLS_KEY_FILE,
                    "must be set together with " + (cert.isEmpty() ? SERVER_TLS_KEY_FILE : SERVER_TLS_CERT_FILE).path()
                            + " (TLS needs both the certificate and its key)");
            return ListenerTlsConfig.NONE;
        }
        for (ConfigKey file : List.of(SERVER_TLS_CERT_FILE, SERVER_TLS_KEY_FILE)) {
            String path = raw.text(file);
            if (!path.isEmpty() && !java.nio.file.Files.isReadable(java.nio.file.Path.of(path))) {
                raw.reject(file, "\"" + path + "\" is missing or not readable");
            }
        }
        return new ListenerTlsConfig(cert, key);
    }

    private PodAuthConfig podAuth() {
        String secret = clusterSecret(SERVER_CLUSTER_SECRET);
        String previous = clusterSecret(SERVER_CLUSTER_SECRET_PREVIOUS);
        if (!previous.isEmpty() && raw.valid(SERVER_CLUSTER_SECRET, SERVER_CLUSTER_SECRET_PREVIOUS)) {
            if (secret.isEmpty()) {
                raw.reject(SERVER_CLUSTER_SECRET_PREVIOUS, "is set but " + SERVER_CLUSTER_SECRET.path()
                        + " is empty (the previous secret is accepted besides the current one, never alone)");
            } else if (previous.equals(secret)) {
                raw.reject(SERVER_CLUSTER_SECRET_PREVIOUS, "must differ from " + SERVER_CLUSTER_SECRET.path());
            }
        }
        List<ConfigKey> tlsKeys = List.of(SERVER_GRPC_TLS_CERT_FILE, SERVER_GRPC_TLS_KEY_FILE, SERVER_GRPC_TLS_CA_FILE);
        long given = tlsKeys.stream().filter(key -> !raw.text(key).isEmpty()).count();
        if (given > 0 && given < tlsKeys.size()) {
            for (ConfigKey key : tlsKeys) {
                if (raw.text(key).isEmpty()) {
                    raw.reject(key, "must be set too: mutual TLS between pods needs "
                            + "server.grpc_tls_cert_file, server.grpc_tls_key_file and server.grpc_tls_ca_file");
                }
            }
        } else if (given == tlsKeys.size()) {
            for (ConfigKey key : tlsKeys) {
                if (!Files.isReadable(Path.of(raw.text(key)))) {
                    raw.reject(key, "\"" + raw.text(key) + "\" is not a readable file");
                }
            }
        }
        return new PodAuthConfig(secret, previous, raw.text(SERVER_GRPC_TLS_CERT_FILE),
                raw.text(SERVER_GRPC_TLS_KEY_FILE), raw.text(SERVER_GRPC_TLS_CA_FILE),
                raw.bool(SERVER_GRPC_ALLOW_UNAUTHENTICATED));
    }

    /**
     * A cluster secret, or empty. It travels as a gRPC header, so visible ASCII only; long enough
     * that guessing is hopeless ({@code openssl rand -hex 32} gives 64 characters).
     */
    private String clusterSecret(ConfigKey key) {
        String value = raw.text(key);
        if (value.isEmpty()) {
            return value;
        }
        if (value.length() < MIN_CLUSTER_SECRET_LENGTH) {
            raw.reject(key, "must be at least " + MIN_CLUSTER_SECRET_LENGTH + " characters (e.g. openssl rand -hex 32),"
                    + " got " + lengthOf(value));
        } else if (value.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            raw.reject(key, "must contain only visible ASCII characters (no whitespace), got " + lengthOf(value));
        }
        return value;
    }

    private ClientLimitsConfig clientLimits() {
        String proxies = raw.text(SERVER_TRUSTED_PROXIES);
        try {
            io.relaymesh.adapters.web.limits.TrustedProxies.parse(proxies);
        } catch (IllegalArgumentException e) {
            raw.reject(SERVER_TRUSTED_PROXIES, e.getMessage() + " (expected IPs or CIDR blocks separated by commas)");
            proxies = "";
        }
        return new ClientLimitsConfig(
                raw.seconds(SERVER_REQUEST_HEADER_TIMEOUT_SECONDS, 1, 3600),
                raw.integer(SERVER_MAX_CONNECTIONS_PER_IP, 0, NO_LIMIT),
                raw.integer(SERVER_UPGRADES_PER_IP_PER_SECOND, 0, NO_LIMIT),
                raw.integer(SERVER_UPGRADE_BURST_PER_IP, 1, NO_LIMIT),
                raw.integer(SERVER_REQUESTS_PER_IP_PER_SECOND, 0, NO_LIMIT),
                raw.integer(SERVER_REQUEST_BURST_PER_IP, 1, NO_LIMIT),
                proxies);
    }

    private NatsConfig nats() {
        String url = raw.text(NATS_URL);
        if (!url.isEmpty() && !isNatsUrl(url)) {
            raw.reject(NATS_URL, "\"" + UrlCredentials.strip(url) + "\" is not a NATS URL "
                    + "(expected nats://host:port, or several separated by commas)");
        }
        int maxDeliver = raw.integer(NATS_MAX_DELIVER, -1, 1_000_000);
        if (maxDeliver == 0) {
            raw.reject(NATS_MAX_DELIVER, "0 is not allowed (expected -1 for unlimited, or 1 or more)");
        }
        boolean allowInsecureTls = raw.bool(NATS_ALLOW_INSECURE_TLS);
        if (NatsConfig.usesOpenTls(url) && !allowInsecureTls) {
            // jnats connects to opentls:// servers without checking their certificate at all.
            raw.reject(NATS_URL, "\"" + UrlCredentials.strip(url) + "\" uses opentls://, which accepts any server"
                    + " certificate (anyone on the path can read the events); use tls:// with " + NATS_TLS_CA_FILE.path()
                    + ", or set " + NATS_ALLOW_INSECURE_TLS.path() + ": true to accept it anyway");
            allowInsecureTls = true;
        }
        String credsFile = readableFile(NATS_CREDS_FILE);
        String nkeyFile = readableFile(NATS_NKEY_FILE);
        if (!credsFile.isEmpty() && !nkeyFile.isEmpty()) {
            raw.reject(NATS_NKEY_FILE, "must not be set together with " + NATS_CREDS_FILE.path()
                    + " (a creds file carries its own nkey seed; give one of the two)");
            nkeyFile = "";
        }
        return new NatsConfig(url, natsName(NATS_STREAM_NAME), natsName(NATS_CONSUMER_NAME),
                raw.bool(NATS_RETRY_ON_FAILED_CONNECT), raw.seconds(NATS_ACK_WAIT_SECONDS, 1, 3600), maxDeliver,
                raw.millis(NATS_NAK_DELAY_MS, 1, 600_000), raw.integer(NATS_MAX_IN_FLIGHT, 1, 100_000),
                clientTls(NATS_TLS_CA_FILE, NATS_TLS_CERT_FILE, NATS_TLS_KEY_FILE), credsFile, nkeyFile,
                allowInsecureTls, raw.seconds(NATS_STREAM_MAX_AGE_SECONDS, 0, NO_LIMIT), raw.bytes(NATS_STREAM_MAX_BYTES));
    }

    /** TLS files of a client connection: each readable now (contents are checked at connect), cert and key together. */
    private ClientTlsConfig clientTls(ConfigKey caKey, ConfigKey certKey, ConfigKey keyKey) {
        String ca = readableFile(caKey);
        String cert = readableFile(certKey);
        String key = readableFile(keyKey);
        if (cert.isEmpty() != key.isEmpty()) {
            raw.reject(cert.isEmpty() ? certKey : keyKey, "must be set together with "
                    + (cert.isEmpty() ? keyKey : certKey).path() + " (a client certificate needs its key)");
            return new ClientTlsConfig(ca, "", "");
        }
        return new ClientTlsConfig(ca, cert, key);
    }

    /** A file path, or empty; a given path must name a readable file (the path may be logged, never the contents). */
    private String readableFile(ConfigKey key) {
        String path = raw.text(key);
        if (!path.isEmpty() && !java.nio.file.Files.isReadable(java.nio.file.Path.of(path))) {
            raw.reject(key, "\"" + path + "\" is missing or not readable");
        }
        return path;
    }

    private RedisConfig redis() {
        String address = raw.text(REDIS_ADDRESS);
        if (!address.isEmpty() && !HostPort.isValid(address)) {
            raw.reject(REDIS_ADDRESS, "\"" + address + "\" is not host:port (e.g. redis:6379)");
        }
        boolean tls = raw.bool(REDIS_TLS);
        ClientTlsConfig files = clientTls(REDIS_TLS_CA_FILE, REDIS_TLS_CERT_FILE, REDIS_TLS_KEY_FILE);
        if (!tls && files.anyFile()) {
            // Silently ignoring the files would leave the operator believing Redis traffic is encrypted.
            ConfigKey given = files.caFile().isEmpty() ? REDIS_TLS_CERT_FILE : REDIS_TLS_CA_FILE;
            raw.reject(given, "is set but " + REDIS_TLS.path() + " is false (set " + REDIS_TLS.path()
                    + ": true to connect over TLS, or remove the file setting)");
            files = ClientTlsConfig.NONE;
        }
        String username = raw.text(REDIS_USERNAME);
        if (username.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            raw.reject(REDIS_USERNAME, "\"" + username + "\" must not contain whitespace or control characters");
        }
        return new RedisConfig(address, username, raw.text(REDIS_PASSWORD), raw.text(REDIS_KEY_PREFIX), tls, files);
    }

    private AuthConfig auth() {
        return new AuthConfig(
                apiKey(AUTH_SECRET_TOKEN),
                aesKey(AUTH_TOKEN_AES_KEY),
                apiKey(AUTH_ADMIN_SECRET_TOKEN),
                aesKey(AUTH_ADMIN_TOKEN_AES_KEY),
                raw.seconds(AUTH_TOKEN_CACHE_TTL_SECONDS, 1, NO_LIMIT),
                raw.seconds(AUTH_DEFAULT_TOKEN_TTL_SECONDS, 1, NO_LIMIT),
                raw.seconds(AUTH_MAX_TOKEN_TTL_SECONDS, 1, NO_LIMIT),
                // 0: a rotation cuts off the previous keys at once.
                raw.seconds(AUTH_KEY_ROTATION_OVERLAP_SECONDS, 0, NO_LIMIT),
                apiKey(AUTH_CLIENT_API_KEY),
                apiKey(AUTH_ADMIN_CLIENT_API_KEY),
                raw.bool(AUTH_WS_ACCEPTS_SECRET_TOKEN),
                jwt());
    }

    private JwtConfig jwt() {
        String secret = raw.text(AUTH_JWT_SECRET);
        int secretBytes = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (!secret.isEmpty() && secretBytes < MIN_JWT_SECRET_BYTES) {
            raw.reject(AUTH_JWT_SECRET, "must be at least " + MIN_JWT_SECRET_BYTES + " bytes for HS256, got "
                    + secretBytes + "; generate one with: openssl rand -hex 32");
        }
        String file = raw.text(AUTH_JWKS_FILE);
        if (!file.isEmpty() && !java.nio.file.Files.isReadable(java.nio.file.Path.of(file))) {
            raw.reject(AUTH_JWKS_FILE, "\"" + file + "\" is not a readable file");
        }
        String url = raw.text(AUTH_JWKS_URL);
        if (!url.isEmpty() && !isJwksUrl(url)) {
            raw.reject(AUTH_JWKS_URL, "\"" + url + "\" must be an https URL (http only on a loopback host)");
        }
        return new JwtConfig(secret, file, url, raw.text(AUTH_JWT_ISSUER), raw.text(AUTH_JWT_AUDIENCE),
                raw.seconds(AUTH_JWT_LEEWAY_SECONDS, 0, MAX_JWT_LEEWAY_SECONDS));
    }

    /** Keys fetched over plain HTTP could be swapped by anyone on the path; loopback is for tests and sidecars. */
    private static boolean isJwksUrl(String url) {
        try {
            java.net.URI uri = new java.net.URI(url);
            String host = uri.getHost();
            if (host == null) {
                return false;
            }
            boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
            return "https".equals(uri.getScheme()) || "http".equals(uri.getScheme()) && loopback;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private AppConfig app() {
        return new AppConfig(
                raw.seconds(APP_SESSION_TTL_SECONDS, 1, NO_LIMIT),
                raw.seconds(APP_ROUTE_TTL_SECONDS, 1, NO_LIMIT),
                raw.seconds(APP_TTL_REFRESH_INTERVAL_SECONDS, 1, NO_LIMIT),
                raw.integer(APP_WEBSOCKET_MESSAGE_BUFFER_SIZE, 1, MAX_BUFFER_SIZE),
                raw.choice(APP_WEBSOCKET_BACKPRESSURE_DROP_POLICY, DropPolicy.class),
                raw.millis(APP_WEBSOCKET_BLOCK_TIMEOUT_MS, 1, NO_LIMIT),
                raw.seconds(APP_PING_INTERVAL_SECONDS, 1, NO_LIMIT),
                raw.seconds(APP_PONG_WAIT_SECONDS, 1, NO_LIMIT),
                raw.integer(APP_CLIENT_MAX_MESSAGES_PER_SECOND, 1, NO_LIMIT),
                raw.integer(APP_CLIENT_MESSAGE_BURST, 1, NO_LIMIT),
                raw.millis(APP_SESSION_TAKEOVER_TIMEOUT_MS, 1, NO_LIMIT),
                raw.choice(APP_LOG_LEVEL, LogLevel.class),
                raw.choice(APP_LOG_FORMAT, LogFormat.class),
                raw.millis(APP_WEBSOCKET_STALL_TIMEOUT_MS, 1, NO_LIMIT),
                raw.integer(APP_WEBSOCKET_MAX_BACKLOG_BYTES, 1, NO_LIMIT),
                raw.integer(APP_WEBSOCKET_HARD_BACKLOG_BYTES, 1, NO_LIMIT),
                raw.integer(APP_RESUME_HISTORY_EVENTS, 0, 10_000_000),
                raw.integer(APP_RESUME_MAX_EVENTS, 1, 1_000_000));
    }

    private AdaptiveTtlConfig adaptiveTtl() {
        return new AdaptiveTtlConfig(
                adaptive(ADAPTIVE_TTL_SESSION_LOCK_ENABLED, ADAPTIVE_TTL_SESSION_LOCK_MIN_TTL_SECONDS,
                        ADAPTIVE_TTL_SESSION_LOCK_MAX_TTL_SECONDS, ADAPTIVE_TTL_SESSION_LOCK_ACTIVITY_THRESHOLD_SECONDS),
                adaptive(ADAPTIVE_TTL_MESSAGE_ROUTE_ENABLED, ADAPTIVE_TTL_MESSAGE_ROUTE_MIN_TTL_SECONDS,
                        ADAPTIVE_TTL_MESSAGE_ROUTE_MAX_TTL_SECONDS, ADAPTIVE_TTL_MESSAGE_ROUTE_ACTIVITY_THRESHOLD_SECONDS));
    }

    private DialectsConfig dialects() {
        return new DialectsConfig(conversations(), topics(), mailbox(), rooms());
    }

    private ConversationsDialectConfig conversations() {
        String path = raw.text(DIALECTS_CONVERSATIONS_PATH);
        if (!path.startsWith("/") || path.equals("/ws") || path.startsWith("/ws/") || path.contains(" ")) {
            raw.reject(DIALECTS_CONVERSATIONS_PATH, "\"" + path + "\" must start with / and not be /ws or under /ws/");
        }
        String claim = raw.text(DIALECTS_CONVERSATIONS_CONVERSATIONS_CLAIM);
        if (claim.isBlank()) {
            raw.reject(DIALECTS_CONVERSATIONS_CONVERSATIONS_CLAIM, "must name a JWT claim");
        }
        return new ConversationsDialectConfig(
                raw.bool(DIALECTS_CONVERSATIONS_ENABLED),
                path,
                raw.seconds(DIALECTS_CONVERSATIONS_TYPING_EXPIRY_SECONDS, 1, NO_LIMIT),
                raw.seconds(DIALECTS_CONVERSATIONS_PRESENCE_EXPIRY_SECONDS, 1, NO_LIMIT),
                raw.seconds(DIALECTS_CONVERSATIONS_IDLE_TIMEOUT_SECONDS, 1, NO_LIMIT),
                raw.integer(DIALECTS_CONVERSATIONS_MAX_MESSAGE_BYTES, 64, MAX_FRAME_BYTES),
                raw.seconds(DIALECTS_CONVERSATIONS_AUTH_TIMEOUT_SECONDS, 1, NO_LIMIT),
                raw.bool(DIALECTS_CONVERSATIONS_REDIS_PUBSUB_ENABLED),
                raw.seconds(DIALECTS_CONVERSATIONS_REDIS_PUBSUB_DEDUP_SECONDS, 1, NO_LIMIT),
                claim,
                raw.bool(DIALECTS_CONVERSATIONS_ALLOW_WITHOUT_CLAIM));
    }

    private RoomsConfig rooms() {
        String path = raw.text(DIALECTS_ROOMS_PATH);
        if (!WS_PATH.matcher(path).matches()) {
            raw.reject(DIALECTS_ROOMS_PATH, "\"" + path + "\" is not a path (expected /name[/name...], letters, digits, "
                    + "'-', '_', '.')");
        } else if (path.equals("/ws") || path.startsWith("/ws/")) {
            raw.reject(DIALECTS_ROOMS_PATH, "\"" + path + "\" is taken by the primary protocol and the shared /ws");
        }
        String cert = raw.text(DIALECTS_ROOMS_TLS_CERT_FILE);
        String key = raw.text(DIALECTS_ROOMS_TLS_KEY_FILE);
        ListenerTlsConfig tls = ListenerTlsConfig.NONE;
        if (cert.isEmpty() != key.isEmpty()) {
            raw.reject(cert.isEmpty() ? DIALECTS_ROOMS_TLS_CERT_FILE : DIALECTS_ROOMS_TLS_KEY_FILE, "must be set together with "
                    + (cert.isEmpty() ? DIALECTS_ROOMS_TLS_KEY_FILE : DIALECTS_ROOMS_TLS_CERT_FILE).path()
                    + " (TLS needs both the certificate and its key)");
        } else {
            readableFile(DIALECTS_ROOMS_TLS_CERT_FILE);
            readableFile(DIALECTS_ROOMS_TLS_KEY_FILE);
            tls = new ListenerTlsConfig(cert, key);
        }
        return new RoomsConfig(
                raw.bool(DIALECTS_ROOMS_ENABLED),
                path,
                raw.integer(DIALECTS_ROOMS_LISTENER_PORT, 0, MAX_PORT),
                tls,
                // A data frame crosses pods in one gRPC message (4 MiB): its base64 text must fit.
                raw.integer(DIALECTS_ROOMS_MAX_DATA_BYTES, 1, MAX_ROOMS_DATA_BYTES),
                raw.integer(DIALECTS_ROOMS_MAX_PEERS_PER_TOPIC, 0, 1_000_000),
                raw.integer(DIALECTS_ROOMS_MAX_BYTES_PER_SECOND, 0, NO_LIMIT),
                raw.integer(DIALECTS_ROOMS_MAX_FRAMES_PER_SECOND, 0, NO_LIMIT),
                raw.bool(DIALECTS_ROOMS_AUTH_REQUIRED),
                raw.seconds(DIALECTS_ROOMS_STATS_INTERVAL_SECONDS, 1, 86_400));
    }

    private AdaptiveTtl adaptive(ConfigKey enabled, ConfigKey min, ConfigKey max, ConfigKey threshold) {
        return new AdaptiveTtl(raw.bool(enabled), raw.seconds(min, 1, NO_LIMIT), raw.seconds(max, 1, NO_LIMIT),
                raw.seconds(threshold, 1, NO_LIMIT));
    }

    /** An API key, or empty (whether empty is allowed depends on the mode). Messages give lengths only. */
    private String apiKey(ConfigKey key) {
        String value = raw.text(key);
        if (value.isEmpty()) {
            return value;
        }
        if (value.length() < MIN_API_KEY_LENGTH) {
            raw.reject(key, "must be at least " + MIN_API_KEY_LENGTH + " characters, got "
                    + lengthOf(value));
        } else if (value.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            raw.reject(key, "must not contain whitespace or control characters, got " + lengthOf(value));
        }
        return value;
    }

    /** An AES-256 key in hex, or empty. Messages give lengths only. */
    private String aesKey(ConfigKey key) {
        String value = raw.text(key);
        if (!value.isEmpty() && (value.length() != AES_KEY_HEX_LENGTH || !HEX.matcher(value).matches())) {
            String notHex = value.length() == AES_KEY_HEX_LENGTH ? ", not all of them hex digits" : "";
            raw.reject(key, "must be " + AES_KEY_HEX_LENGTH + " hex characters (32 bytes), got "
                    + lengthOf(value) + notHex);
        }
        return value;
    }

    // A stray newline from a mounted secret file is a common cause of a wrong length.
    private static String lengthOf(String secret) {
        String length = secret.length() + " characters";
        return secret.strip().equals(secret) ? length : length + " (including whitespace at either end)";
    }

    private String natsName(ConfigKey key) {
        String name = raw.text(key);
        if (name.isEmpty()) {
            raw.reject(key, "must not be empty");
        } else if (!name.matches("[A-Za-z0-9_-]+")) {
            raw.reject(key, "\"" + name + "\" may contain only letters, digits, '_' and '-'");
        }
        return name;
    }

    private static boolean isNatsUrl(String urls) {
        for (String url : urls.split(",", -1)) {
            String server = url.strip();
            int scheme = server.indexOf("://");
            String rest = scheme < 0 ? server : server.substring(scheme + 3);
            if (scheme >= 0 && !NATS_SCHEMES.contains(server.substring(0, scheme))) {
                return false;
            }
            if (rest.isEmpty() || rest.startsWith(":") || rest.chars().anyMatch(Character::isWhitespace)) {
                return false;
            }
        }
        return true;
    }
}
