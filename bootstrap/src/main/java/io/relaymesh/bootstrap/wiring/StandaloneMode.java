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
import io.relaymesh.adapters.memory.InMemoryDeliveryLedger;
import io.relaymesh.adapters.memory.InMemoryKillSwitch;
import io.relaymesh.adapters.memory.InMemoryPodDirectory;
import io.relaymesh.adapters.memory.InMemoryPodStatsBoard;
import io.relaymesh.adapters.memory.InMemoryRevocationList;
import io.relaymesh.adapters.memory.InMemoryRouteRegistry;
import io.relaymesh.adapters.memory.InMemorySessionLocks;
import io.relaymesh.adapters.memory.InMemoryTokenCache;
import io.relaymesh.domain.error.PortUnavailableException;
import java.util.concurrent.CompletableFuture;
import io.relaymesh.application.delivery.DirectEventPublisher;
import io.relaymesh.application.delivery.EventDelivery;
import io.relaymesh.application.metrics.GatewayMetrics;

import javax.inject.Singleton;

/**
 * Standalone mode: every port on this process's memory, events published straight to delivery,
 * nobody to forward to. Included only by {@link StandaloneComponent}.
 */
@Module(includes = MemoryModule.class)
public interface StandaloneMode {

    @Binds
    SessionLocks sessionLocks(InMemorySessionLocks locks);

    /** The listing of sessions reads the same store as the locks: the same adapter. */
    @Binds
    SessionCatalog sessionCatalog(InMemorySessionLocks locks);

    @Binds
    KillSwitch killSwitch(InMemoryKillSwitch killSwitch);

    @Binds
    RouteRegistry routeRegistry(InMemoryRouteRegistry registry);

    /** The listing of routes reads the same store as the registry: the same adapter. */
    @Binds
    RouteCatalog routeCatalog(InMemoryRouteRegistry registry);

    @Binds
    PodDirectory podDirectory(InMemoryPodDirectory directory);

    @Binds
    RevocationList revocationList(InMemoryRevocationList revocations);

    @Binds
    PodStatsBoard podStatsBoard(InMemoryPodStatsBoard board);

    @Binds
    DeliveryLedger deliveryLedger(InMemoryDeliveryLedger ledger);

    @Provides
    @Singleton
    static TokenCache tokenCache(InMemoryTokenCache cache, Settings<TokenCodec> codec, Settings<JwtVerifier> jwt) {
        return TokenCaches.keyScoped(cache, codec, jwt);
    }

    /** Straight to delivery on this pod: there is no broker and no other pod. */
    @Provides
    @Singleton
    static EventPublisher eventPublisher(EventDelivery delivery, GatewayMetrics metrics,
                                         io.relaymesh.adapters.memory.InMemoryEventLog log,
                                         io.relaymesh.application.dialect.Intakes intakes) {
        return new DirectEventPublisher(delivery, metrics, log, intakes);
    }

    /** The last events published here, in memory, for clients that resume ({@code since}). */
    @Provides
    @Singleton
    static io.relaymesh.adapters.memory.InMemoryEventLog eventLog(io.relaymesh.bootstrap.config.RelaymeshConfig config) {
        return new io.relaymesh.adapters.memory.InMemoryEventLog(config.app().resumeHistoryEvents());
    }

    @Provides
    @Singleton
    static StreamRetention streamRetention() {
        return StreamRetention.NONE;
    }

    @Binds
    io.relaymesh.domain.port.EventHistory eventHistory(io.relaymesh.adapters.memory.InMemoryEventLog log);

    /** The registry only ever names this pod, so there is nobody to forward to. */
    @Provides
    @Singleton
    static PodForwarder podForwarder() {
        return (pod, envelopes) -> CompletableFuture.failedFuture(new PortUnavailableException("grpc",
                "standalone mode has no other pods (asked for " + pod + ")", null));
    }

    /** This pod's connections are every connection. */
    @Provides
    @Singleton
    static Delivery delivery(EventDelivery local) {
        return Delivery.localOnly(local);
    }
}
