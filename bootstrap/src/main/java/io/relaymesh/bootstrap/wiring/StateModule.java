package io.relaymesh.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.relaymesh.adapters.crypto.AesGcmTokenCodec;
import io.relaymesh.adapters.memory.InMemoryKillSwitch;
import io.relaymesh.adapters.memory.InMemoryPodDirectory;
import io.relaymesh.adapters.memory.InMemoryPodStatsBoard;
import io.relaymesh.adapters.memory.InMemoryRouteRegistry;
import io.relaymesh.adapters.memory.InMemorySessionLocks;
import io.relaymesh.adapters.memory.InMemoryTokenCache;
import io.relaymesh.adapters.redis.RedisKillSwitch;
import io.relaymesh.adapters.redis.RedisPodDirectory;
import io.relaymesh.adapters.redis.RedisPodStatsBoard;
import io.relaymesh.adapters.redis.RedisRouteRegistry;
import io.relaymesh.adapters.redis.RedisSessionLocks;
import io.relaymesh.adapters.redis.RedisTokenCache;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.domain.port.KillSwitch;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.domain.port.PodStatsBoard;
import io.relaymesh.domain.port.RouteCatalog;
import io.relaymesh.domain.port.RouteRegistry;
import io.relaymesh.domain.port.SessionCatalog;
import io.relaymesh.domain.port.SessionLocks;
import io.relaymesh.domain.port.TokenCache;
import io.relaymesh.domain.port.TokenCodec;
import io.relaymesh.domain.port.JwtVerifier;
import io.relaymesh.domain.port.RevocationList;

import javax.inject.Provider;
import javax.inject.Singleton;
import java.time.Duration;

/**
 * The one place that decides which adapter backs each state port: in-memory when standalone,
 * Redis in cluster mode. Providers are lazy, so the other mode's adapters are never built.
 */
@Module(includes = {MemoryModule.class, RedisModule.class})
public interface StateModule {

    @Provides
    @Singleton
    static SessionLocks sessionLocks(RelaymeshConfig config, Provider<InMemorySessionLocks> memory,
                                     Provider<RedisSessionLocks> redis) {
        return config.standalone() ? memory.get() : redis.get();
    }

    @Provides
    @Singleton
    static KillSwitch killSwitch(RelaymeshConfig config, Provider<InMemoryKillSwitch> memory,
                                 Provider<RedisKillSwitch> redis) {
        return config.standalone() ? memory.get() : redis.get();
    }

    @Provides
    @Singleton
    static RouteRegistry routeRegistry(RelaymeshConfig config, Provider<InMemoryRouteRegistry> memory,
                                       Provider<RedisRouteRegistry> redis) {
        return config.standalone() ? memory.get() : redis.get();
    }

    @Provides
    @Singleton
    static PodDirectory podDirectory(RelaymeshConfig config, Provider<InMemoryPodDirectory> memory,
                                     Provider<RedisPodDirectory> redis) {
        // Cluster: asked per consumed event and per forwarded batch, so answers are kept 500 ms.
        return config.standalone() ? memory.get() : new CachedPodDirectory(redis.get(), Duration.ofMillis(500));
    }

    @Provides
    @Singleton
    static TokenCache tokenCache(RelaymeshConfig config, Provider<InMemoryTokenCache> memory,
                                 Provider<RedisTokenCache> redis, Settings<TokenCodec> codec,
                                 Settings<JwtVerifier> jwt) {
        TokenCache cache = config.standalone() ? memory.get() : redis.get();
        // CryptoModule only ever makes AES-GCM codecs; the scope follows their keys (and the JWT
        // keys) through rotations, so a token of a key no longer accepted is not served from cache.
        // Writes on virtual threads: a first connect with a token costs no extra round trip.
        return new KeyScopedTokenCache(cache, () -> ((AesGcmTokenCodec) codec.get()).keyFingerprint() + "-"
                + CryptoModule.jwtFingerprint(jwt.get()),
                command -> Thread.ofVirtual().name("relaymesh-token-cache").start(command));
    }

    /** Revoked token ids: this process's memory standalone, Redis (seen by every pod) in cluster mode. */
    @Provides
    @Singleton
    static RevocationList revocationList(RelaymeshConfig config,
                                         Provider<io.relaymesh.adapters.memory.InMemoryRevocationList> memory,
                                         Provider<io.relaymesh.adapters.redis.RedisRevocationList> redis) {
        return config.standalone() ? memory.get() : redis.get();
    }

    /** The listing of sessions reads the same store as the locks: the same adapter. */
    @Provides
    @Singleton
    static SessionCatalog sessionCatalog(RelaymeshConfig config, Provider<InMemorySessionLocks> memory,
                                         Provider<RedisSessionLocks> redis) {
        return config.standalone() ? memory.get() : redis.get();
    }

    /** The listing of routes reads the same store as the registry: the same adapter. */
    @Provides
    @Singleton
    static RouteCatalog routeCatalog(RelaymeshConfig config, Provider<InMemoryRouteRegistry> memory,
                                     Provider<RedisRouteRegistry> redis) {
        return config.standalone() ? memory.get() : redis.get();
    }

    @Provides
    @Singleton
    static PodStatsBoard podStatsBoard(RelaymeshConfig config, Provider<InMemoryPodStatsBoard> memory,
                                       Provider<RedisPodStatsBoard> redis) {
        return config.standalone() ? memory.get() : redis.get();
    }

    @Provides
    @Singleton
    static io.relaymesh.domain.port.DeliveryLedger deliveryLedger(RelaymeshConfig config,
            Provider<io.relaymesh.adapters.memory.InMemoryDeliveryLedger> memory,
            Provider<io.relaymesh.adapters.redis.RedisDeliveryLedger> redis) {
        return config.standalone() ? memory.get() : redis.get();
    }
}
