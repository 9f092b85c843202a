package io.relaymesh.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.relaymesh.adapters.redis.RedisConnections;
import io.relaymesh.adapters.redis.RedisKillSwitch;
import io.relaymesh.adapters.redis.RedisPodDirectory;
import io.relaymesh.adapters.redis.RedisPodStatsBoard;
import io.relaymesh.adapters.redis.RedisRouteRegistry;
import io.relaymesh.adapters.redis.RedisSessionLocks;
import io.relaymesh.adapters.redis.RedisSettings;
import io.relaymesh.adapters.redis.RedisTokenCache;
import io.relaymesh.bootstrap.config.RedisConfig;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.bootstrap.tls.ClientTlsContexts;
import io.relaymesh.domain.port.Clock;

import javax.inject.Singleton;

/** Redis state adapters (cluster mode); {@link ClusterMode} binds them to the ports (the standalone component names them only for cluster-only parts it never builds). */
@Module
public interface RedisModule {

    @Provides
    @Singleton
    static RedisSettings redisSettings(RelaymeshConfig config) {
        RedisConfig redis = config.redis();
        String address = redis.address();
        int colon = address.lastIndexOf(':');
        RedisSettings settings = RedisSettings.of(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)))
                .withUser(redis.username())
                .withPassword(redis.password())
                .withKeyPrefix(redis.keyPrefix());
        return redis.tls() ? settings.withTls(ClientTlsContexts.of("redis", redis.tlsFiles())) : settings;
    }

    @Provides
    @Singleton
    static RedisConnections redisConnections(RedisSettings settings) {
        return new RedisConnections(settings);
    }

    @Provides
    @Singleton
    static RedisSessionLocks redisSessionLocks(RedisConnections redis) {
        return new RedisSessionLocks(redis);
    }

    @Provides
    @Singleton
    static RedisKillSwitch redisKillSwitch(RedisConnections redis) {
        return new RedisKillSwitch(redis);
    }

    @Provides
    @Singleton
    static RedisRouteRegistry redisRouteRegistry(RedisConnections redis, Clock clock) {
        return new RedisRouteRegistry(redis, clock);
    }

    @Provides
    @Singleton
    static RedisPodDirectory redisPodDirectory(RedisConnections redis, Clock clock) {
        return new RedisPodDirectory(redis, clock);
    }

    @Provides
    @Singleton
    static RedisPodStatsBoard redisPodStatsBoard(RedisConnections redis) {
        return new RedisPodStatsBoard(redis);
    }

    @Provides
    @Singleton
    static RedisTokenCache redisTokenCache(RedisConnections redis) {
        return new RedisTokenCache(redis);
    }

    @Provides
    @Singleton
    static io.relaymesh.adapters.redis.RedisDeliveryLedger redisDeliveryLedger(RedisConnections redis) {
        return new io.relaymesh.adapters.redis.RedisDeliveryLedger(redis);
    }

    @Provides
    @Singleton
    static io.relaymesh.adapters.redis.RedisRevocationList redisRevocationList(RedisConnections redis, Clock clock) {
        return new io.relaymesh.adapters.redis.RedisRevocationList(redis, clock);
    }
}
