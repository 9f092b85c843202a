package io.relaymesh.bench.state;

import io.relaymesh.adapters.redis.RedisConnections;
import io.relaymesh.adapters.redis.RedisKillSwitch;
import io.relaymesh.adapters.redis.RedisPodDirectory;
import io.relaymesh.adapters.redis.RedisRouteRegistry;
import io.relaymesh.adapters.redis.RedisSessionLocks;
import io.relaymesh.adapters.redis.RedisTokenCache;
import io.relaymesh.application.auth.ApiKeys;
import io.relaymesh.application.auth.AuthResult;
import io.relaymesh.application.auth.Authenticator;
import io.relaymesh.application.connection.ConnectionHub;
import io.relaymesh.application.connection.Gateway;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.connection.SessionManager;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.application.settings.GatewaySettings;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.bootstrap.config.ConfigLoader;
import io.relaymesh.bootstrap.config.LoadResult;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.bootstrap.wiring.CoreModule;
import io.relaymesh.bootstrap.wiring.CryptoModule;
import io.relaymesh.bootstrap.wiring.RedisModule;
import io.relaymesh.bootstrap.wiring.RuntimeFacts;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.TokenCodec;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One pod's connection use cases on Redis, built by calling the very {@code @Provides} methods the
 * bootstrap's Dagger component calls in cluster mode (same config loader, same settings mapping,
 * same adapters, a real AES-GCM token codec), but without sockets, NATS or gRPC, with
 * {@link GatewayMetrics#NONE}, and with the token cache writes that the bootstrap runs on virtual
 * threads queued until {@link #runCacheWrites()}. The pod heartbeats once and listens for kill
 * requests, as a pod does. Thread-safe as the use cases are; close it once.
 */
public final class RedisStack implements AutoCloseable {
    static final String GENERAL_KEY = "bench-general-key-0123456789abcdef";
    static final String ADMIN_KEY = "bench-admin-key-0123456789abcdefgh";
    static final String USER_AES = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    static final String ADMIN_AES = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

    private final RedisConnections redis;
    private final RedisKillSwitch killSwitch;
    private final RedisKillSwitch.Subscription killListener;
    private final TokenCodec codec;
    private final ConnectionHub hub;
    private final Gateway gateway;
    private final RedisSessionLocks locks;
    private final Settings<GatewaySettings> settings;
    private final DeferredWrites cacheWrites = new DeferredWrites();

    public RedisStack(String redisAddress, String podId) {
        RelaymeshConfig config = clusterConfig(redisAddress, podId);
        Clock clock = CoreModule.clock();
        RuntimeFacts facts = new RuntimeFacts(new PodId(podId), -1, () -> { });
        this.redis = RedisModule.redisConnections(RedisModule.redisSettings(config));
        this.locks = RedisModule.redisSessionLocks(redis);
        this.killSwitch = RedisModule.redisKillSwitch(redis);
        RedisRouteRegistry routes = RedisModule.redisRouteRegistry(redis, clock);
        RedisPodDirectory pods = RedisModule.redisPodDirectory(redis, clock);
        RedisTokenCache tokens = RedisModule.redisTokenCache(redis);
        this.settings = CoreModule.gatewaySettings(config);
        Settings<ApiKeys> keys = CoreModule.apiKeys(config);
        Settings<TokenCodec> codecs = CryptoModule.tokenCodec(config);
        this.codec = codecs.get();
        this.hub = CoreModule.hub(facts, routes, settings);
        // As the modes' token cache (TokenCaches): writes leave the connect path (queued here, see DeferredWrites).
        io.relaymesh.domain.port.TokenCache deferred = new io.relaymesh.domain.port.TokenCache() {
            public <T> Optional<T> get(String tokenHash, Class<T> type) {
                return tokens.get(tokenHash, type);
            }

            public void put(String tokenHash, Object claims, Duration ttl) {
                cacheWrites.execute(() -> tokens.put(tokenHash, claims, ttl));
            }
        };
        // As a cluster pod: JWT keys from the config (none here), revocations checked in Redis.
        Authenticator authenticator = CoreModule.authenticator(keys, codecs, deferred, clock, settings,
                GatewayMetrics.NONE, CryptoModule.jwtVerifier(config),
                new io.relaymesh.adapters.redis.RedisRevocationList(redis, clock),
                io.relaymesh.application.auth.TokenMetrics.NONE);
        SessionManager sessions = CoreModule.sessionManager(locks, killSwitch, pods, hub, settings, GatewayMetrics.NONE);
        this.gateway = CoreModule.gateway(authenticator, sessions, locks, hub, clock, settings, GatewayMetrics.NONE,
                io.relaymesh.domain.port.EventHistory.NONE, config);
        // As ClusterNode and Relaymesh do at start: announce the pod, listen for kill requests.
        pods.heartbeat(facts.podId(), "127.0.0.1:1", Duration.ofHours(1));
        this.killListener = killSwitch.listen(facts.podId(), sessions::onKillRequest);
    }

    /** The configuration a cluster pod gets from its environment; NATS is named (cluster mode needs it), never dialled. */
    private static RelaymeshConfig clusterConfig(String redisAddress, String podId) {
        LoadResult loaded = ConfigLoader.load(Optional.empty(), Map.of(
                "RELAYMESH_SERVER_POD_ID", podId,
                "RELAYMESH_REDIS_ADDRESS", redisAddress,
                "RELAYMESH_NATS_URL", "nats://127.0.0.1:4222",
                "RELAYMESH_AUTH_SECRET_TOKEN", GENERAL_KEY,
                "RELAYMESH_AUTH_ADMIN_SECRET_TOKEN", ADMIN_KEY,
                "RELAYMESH_AUTH_TOKEN_AES_KEY", USER_AES,
                "RELAYMESH_AUTH_ADMIN_TOKEN_AES_KEY", ADMIN_AES,
                "RELAYMESH_SERVER_CLUSTER_SECRET", "bench-cluster-secret-0123456789abcdef"));
        if (loaded instanceof LoadResult.Rejected rejected) {
            throw new IllegalStateException("bench config rejected: " + rejected.problems());
        }
        return ((LoadResult.Loaded) loaded).config();
    }

    /** Runs the token cache writes queued by authentications so far (off the connect path); returns how many. */
    public int runCacheWrites() {
        return cacheWrites.runAll();
    }

    /** Round trips sent to Redis so far by this pod (commands, pipelines and script calls). */
    public long roundTrips() {
        return redis.roundTrips();
    }

    public GatewaySettings settings() {
        return settings.get();
    }

    public Gateway gateway() {
        return gateway;
    }

    public ConnectionHub hub() {
        return hub;
    }

    public RedisSessionLocks locks() {
        return locks;
    }

    /** A user token as {@code /generate-token} issues it (AES-GCM over the claims), valid for an hour. */
    public String userToken(String company, String agent, String user) {
        return codec.encodeUser(new UserClaims(company, agent, user, Instant.now().plus(Duration.ofHours(1))));
    }

    /** What a WebSocket connect does before {@code ready}: authenticate (API key, token), then open. */
    public LocalSession connect(String company, String agent, String token, String connectionId) {
        AuthResult auth = gateway.authenticateUser(GENERAL_KEY, token, company, agent);
        if (!(auth instanceof AuthResult.Authenticated authenticated)) {
            throw new IllegalStateException("bench token refused: " + auth);
        }
        return switch (gateway.open(authenticated.principal(), new NoopConnection(connectionId))) {
            case Gateway.Opening.Opened opened -> opened.session();
            case Gateway.Opening.Refused refused -> throw new IllegalStateException("open refused: " + refused);
        };
    }

    /** Only the authentication half of a connect (token cache lookup, decrypt and cache on a miss). */
    public AuthResult authenticate(String company, String agent, String token) {
        return gateway.authenticateUser(GENERAL_KEY, token, company, agent);
    }

    @Override
    public void close() {
        killListener.close();
        killSwitch.close();
        redis.close();
    }
}
