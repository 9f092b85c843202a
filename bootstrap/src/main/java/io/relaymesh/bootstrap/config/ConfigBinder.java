package io.relaymesh.bootstrap.config;

import static io.relaymesh.bootstrap.config.ConfigKey.*;

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
    private static final int AES_KEY_HEX_LENGTH = 64;
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]*");
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
        return new RelaymeshConfig(server(), nats(), redis(), auth(), app(), adaptiveTtl());
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
                clientLimits());
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
            raw.reject(NATS_URL, "\"" + withoutCredentials(url) + "\" is not a NATS URL "
                    + "(expected nats://host:port, or several separated by commas)");
        }
        int maxDeliver = raw.integer(NATS_MAX_DELIVER, -1, 1_000_000);
        if (maxDeliver == 0) {
            raw.reject(NATS_MAX_DELIVER, "0 is not allowed (expected -1 for unlimited, or 1 or more)");
        }
        return new NatsConfig(url, natsName(NATS_STREAM_NAME), natsName(NATS_CONSUMER_NAME),
                raw.bool(NATS_RETRY_ON_FAILED_CONNECT), raw.seconds(NATS_ACK_WAIT_SECONDS, 1, 3600), maxDeliver,
                raw.millis(NATS_NAK_DELAY_MS, 1, 600_000), raw.integer(NATS_MAX_IN_FLIGHT, 1, 100_000));
    }

    private RedisConfig redis() {
        String address = raw.text(REDIS_ADDRESS);
        if (!address.isEmpty() && !HostPort.isValid(address)) {
            raw.reject(REDIS_ADDRESS, "\"" + address + "\" is not host:port (e.g. redis:6379)");
        }
        return new RedisConfig(address, raw.text(REDIS_PASSWORD), raw.text(REDIS_KEY_PREFIX));
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
                raw.seconds(AUTH_KEY_ROTATION_OVERLAP_SECONDS, 0, NO_LIMIT));
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
                raw.choice(APP_LOG_FORMAT, LogFormat.class));
    }

    private AdaptiveTtlConfig adaptiveTtl() {
        return new AdaptiveTtlConfig(
                adaptive(ADAPTIVE_TTL_SESSION_LOCK_ENABLED, ADAPTIVE_TTL_SESSION_LOCK_MIN_TTL_SECONDS,
                        ADAPTIVE_TTL_SESSION_LOCK_MAX_TTL_SECONDS, ADAPTIVE_TTL_SESSION_LOCK_ACTIVITY_THRESHOLD_SECONDS),
                adaptive(ADAPTIVE_TTL_MESSAGE_ROUTE_ENABLED, ADAPTIVE_TTL_MESSAGE_ROUTE_MIN_TTL_SECONDS,
                        ADAPTIVE_TTL_MESSAGE_ROUTE_MAX_TTL_SECONDS, ADAPTIVE_TTL_MESSAGE_ROUTE_ACTIVITY_THRESHOLD_SECONDS));
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

    // nats://user:password@host:4222 must not put the password in a log line.
    private static String withoutCredentials(String url) {
        return url.replaceAll("(?<=://)[^/@,]*@", "***@");
    }
}
