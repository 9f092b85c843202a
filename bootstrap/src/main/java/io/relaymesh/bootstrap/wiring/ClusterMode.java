package io.relaymesh.bootstrap.wiring;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.domain.port.DeliveryLedger;
import io.relaymesh.domain.port.EventPublisher;
import io.relaymesh.domain.port.JwtVerifier;
import io.relaymesh.domain.port.KillSwitch;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.domain.port.PodForwarder;
import io.relaymesh.domain.port.PodStatsBoard;
import io.relaymesh.domain.port.RevocationList;
import io.relaymesh.domain.port.RouteCatalog;
import io.relaymesh.domain.port.RouteRegistry;
import io.relaymesh.domain.port.SessionCatalog;
import io.relaymesh.domain.port.SessionLocks;
import io.relaymesh.domain.port.TokenCache;
import io.relaymesh.domain.port.TokenCodec;
import io.relaymesh.application.delivery.Delivery;
import io.relaymesh.adapters.grpc.GrpcPodForwarder;
import io.relaymesh.adapters.nats.JetStreamEventPublisher;
import io.relaymesh.adapters.redis.RedisDeliveryLedger;
import io.relaymesh.adapters.redis.RedisKillSwitch;
import io.relaymesh.adapters.redis.RedisPodDirectory;
import io.relaymesh.adapters.redis.RedisPodStatsBoard;
import io.relaymesh.adapters.redis.RedisRevocationList;
import io.relaymesh.adapters.redis.RedisRouteRegistry;
import io.relaymesh.adapters.redis.RedisSessionLocks;
import io.relaymesh.adapters.redis.RedisTokenCache;
import io.relaymesh.application.delivery.ClusterDelivery;

import javax.inject.Singleton;
import java.time.Duration;

/**
 * Cluster mode: every shared port on Redis, events into JetStream (consumed by one pod each),
 * forwarded over gRPC to the pods holding their route keys. Included only by
 * {@link ClusterComponent}.
 */
@Module(includes = RedisModule.class)
public interface ClusterMode {

    @Binds
    SessionLocks sessionLocks(RedisSessionLocks locks);

    /** The listing of sessions reads the same store as the locks: the same adapter. */
    @Binds
    SessionCatalog sessionCatalog(RedisSessionLocks locks);

    @Binds
    KillSwitch killSwitch(RedisKillSwitch killSwitch);

    @Binds
    RouteRegistry routeRegistry(RedisRouteRegistry registry);

    /** The listing of routes reads the same store as the registry: the same adapter. */
    @Binds
    RouteCatalog routeCatalog(RedisRouteRegistry registry);

    @Binds
    RevocationList revocationList(RedisRevocationList revocations);

    @Binds
    PodStatsBoard podStatsBoard(RedisPodStatsBoard board);

    @Binds
    DeliveryLedger deliveryLedger(RedisDeliveryLedger ledger);

    @Binds
    EventPublisher eventPublisher(JetStreamEventPublisher publisher);

    @Binds
    PodForwarder podForwarder(GrpcPodForwarder forwarder);

    /** Here and on the pods holding the keys. */
    @Binds
    Delivery delivery(ClusterDelivery delivery);

    /** The streams are the history clients resume from (a position's epoch names its stream). */
    @Provides
    @Singleton
    static io.relaymesh.domain.port.EventHistory eventHistory(io.relaymesh.adapters.nats.NatsConnections nats,
                                                             io.relaymesh.adapters.nats.JetStreams streams) {
        return new io.relaymesh.adapters.nats.JetStreamEventHistory(nats, streams.all());
    }

    @Provides
    @Singleton
    static StreamRetention streamRetention(io.relaymesh.adapters.nats.JetStreams streams) {
        return streams::applyRetention;
    }

    /** Asked per consumed event and per forwarded batch, so answers are kept 500 ms. */
    @Provides
    @Singleton
    static PodDirectory podDirectory(RedisPodDirectory directory) {
        return new CachedPodDirectory(directory, Duration.ofMillis(500));
    }

    @Provides
    @Singleton
    static TokenCache tokenCache(RedisTokenCache cache, Settings<TokenCodec> codec, Settings<JwtVerifier> jwt) {
        return TokenCaches.keyScoped(cache, codec, jwt);
    }
}
