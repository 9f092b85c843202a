package io.relaymesh.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.relaymesh.application.admin.ClusterOverview;
import io.relaymesh.application.admin.RouteOverview;
import io.relaymesh.application.admin.SessionAdmin;
import io.relaymesh.application.auth.ApiKeys;
import io.relaymesh.application.auth.Authenticator;
import io.relaymesh.application.auth.TokenIssuer;
import io.relaymesh.application.auth.TokenMetrics;
import io.relaymesh.application.auth.TokenRevocation;
import io.relaymesh.application.connection.ConnectionHub;
import io.relaymesh.application.connection.Gateway;
import io.relaymesh.application.connection.SessionManager;
import io.relaymesh.adapters.nats.JetStreamEventPublisher;
import io.relaymesh.application.delivery.ClusterDelivery;
import io.relaymesh.application.delivery.DirectEventPublisher;
import io.relaymesh.application.delivery.EventDelivery;
import io.relaymesh.application.delivery.PublishService;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.application.settings.AdaptiveTtl;
import io.relaymesh.application.settings.GatewaySettings;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.application.stats.PodActivity;
import io.relaymesh.application.stats.PodStatsReporter;
import io.relaymesh.bootstrap.config.AppConfig;
import io.relaymesh.bootstrap.config.AuthConfig;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.EventPublisher;
import io.relaymesh.domain.port.IdGenerator;
import io.relaymesh.domain.port.KillSwitch;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.domain.port.PodForwarder;
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
import java.util.List;
import javax.inject.Singleton;
import java.time.Duration;
import java.util.UUID;

/** The application services, built explicitly so they stay free of annotations. */
@Module
public interface CoreModule {

    @Provides
    @Singleton
    static Clock clock() {
        return Clock.SYSTEM;
    }

    @Provides
    @Singleton
    static IdGenerator ids() {
        return () -> UUID.randomUUID().toString();
    }

    @Provides
    @Singleton
    static Settings<GatewaySettings> gatewaySettings(RelaymeshConfig config) {
        return new Settings<>(gatewaySettingsOf(config));
    }

    /** Maps the typed config onto the use cases' settings (also used by a reload). */
    static GatewaySettings gatewaySettingsOf(RelaymeshConfig config) {
        AppConfig app = config.app();
        AuthConfig auth = config.auth();
        return new GatewaySettings(app.sessionTtl(), app.routeTtl(), app.ttlRefreshInterval(),
                app.sessionTakeoverTimeout(), auth.maxTokenTtl(), auth.defaultTokenTtl(), auth.tokenCacheTtl(),
                app.clientMaxMessagesPerSecond(), app.clientMessageBurst(),
                adaptive(config.adaptiveTtl().sessionLock()), adaptive(config.adaptiveTtl().messageRoute()));
    }

    private static AdaptiveTtl adaptive(io.relaymesh.bootstrap.config.AdaptiveTtl configured) {
        return new AdaptiveTtl(configured.enabled(), configured.minTtl(), configured.maxTtl(),
                configured.activityThreshold());
    }

    @Provides
    @Singleton
    static Settings<ApiKeys> apiKeys(RelaymeshConfig config) {
        var auth = config.auth();
        return new Settings<>(new ApiKeys(auth.secretToken(), auth.adminSecretToken(), List.of(), List.of(),
                new ApiKeys.ClientKeys(auth.clientApiKey(), auth.adminClientApiKey(), List.of(), List.of(),
                        auth.wsAcceptsSecretToken())));
    }

    @Provides
    @Singleton
    static ConnectionHub hub(RuntimeFacts facts, RouteRegistry registry, Settings<GatewaySettings> settings) {
        return new ConnectionHub(facts.podId(), registry, settings);
    }

    @Provides
    @Singleton
    static Authenticator authenticator(Settings<ApiKeys> keys, Settings<TokenCodec> codec, TokenCache cache,
                                       Clock clock, Settings<GatewaySettings> settings, GatewayMetrics metrics,
                                       Settings<JwtVerifier> jwt, RevocationList revocations,
                                       TokenMetrics tokenMetrics) {
        // The token cache (KeyScopedTokenCache) writes off the connect path itself.
        return new Authenticator(keys, codec, cache, clock, settings, metrics, jwt, revocations, tokenMetrics);
    }

    @Provides
    @Singleton
    static TokenRevocation tokenRevocation(Settings<TokenCodec> codec, Settings<JwtVerifier> jwt,
                                           RevocationList revocations, Clock clock, TokenMetrics tokenMetrics) {
        return new TokenRevocation(codec, jwt, revocations, clock, tokenMetrics);
    }

    @Provides
    @Singleton
    static SessionManager sessionManager(SessionLocks locks, KillSwitch killSwitch, PodDirectory pods,
                                         ConnectionHub hub, Settings<GatewaySettings> settings,
                                         GatewayMetrics metrics) {
        return new SessionManager(locks, killSwitch, pods, hub, settings, metrics);
    }

    @Provides
    @Singleton
    static Gateway gateway(Authenticator authenticator, SessionManager sessions, SessionLocks locks,
                           ConnectionHub hub, Clock clock, Settings<GatewaySettings> settings,
                           GatewayMetrics metrics, io.relaymesh.domain.port.EventHistory history,
                           RelaymeshConfig config) {
        return new Gateway(authenticator, sessions, locks, hub, clock, settings, metrics, history,
                config.app().resumeMaxEvents());
    }

    @Provides
    @Singleton
    static TokenIssuer tokenIssuer(Settings<TokenCodec> codec, Clock clock, Settings<GatewaySettings> settings,
                                   IdGenerator ids) {
        return new TokenIssuer(codec, clock, settings, ids);
    }

    @Provides
    @Singleton
    static EventDelivery eventDelivery(ConnectionHub hub, RouteRegistry registry) {
        return new EventDelivery(hub, registry);
    }

    @Provides
    @Singleton
    static ClusterDelivery clusterDelivery(EventDelivery delivery, PodForwarder forwarder,
                                           io.relaymesh.domain.port.DeliveryLedger ledger, PodDirectory pods,
                                           RouteRegistry registry, GatewayMetrics metrics, RelaymeshConfig config) {
        return new ClusterDelivery(delivery, forwarder, ledger, pods, registry, metrics, config.nats().nakDelay());
    }

    @Provides
    @Singleton
    static PodActivity podActivity() {
        return new PodActivity();
    }

    @Provides
    @Singleton
    static PodStatsReporter podStatsReporter(ConnectionHub hub, PodActivity activity, PodStatsBoard board,
                                             Clock clock) {
        return new PodStatsReporter(hub, activity, board, clock);
    }

    @Provides
    @Singleton
    static ClusterOverview clusterOverview(RuntimeFacts facts, RelaymeshConfig config, PodDirectory pods,
                                           PodStatsBoard board, Clock clock) {
        return new ClusterOverview(facts.podId(), config.standalone(), pods, board, clock);
    }

    @Provides
    @Singleton
    static SessionAdmin sessionAdmin(RuntimeFacts facts, SessionCatalog catalog, SessionLocks locks,
                                     KillSwitch killSwitch, SessionManager sessions,
                                     Settings<GatewaySettings> settings) {
        return new SessionAdmin(facts.podId(), catalog, locks, killSwitch, sessions, settings);
    }

    @Provides
    @Singleton
    static RouteOverview routeOverview(RouteCatalog catalog, PodDirectory pods) {
        return new RouteOverview(catalog, pods);
    }

    @Provides
    @Singleton
    static PublishService publishService(EventPublisher publisher, io.relaymesh.domain.model.SubjectBindings bindings,
                                         Clock clock, IdGenerator ids, GatewayMetrics metrics,
                                         io.relaymesh.application.dialect.Intakes intakes) {
        return new PublishService(publisher, bindings, clock, ids, metrics, intakes);
    }

    /** Every enabled dialect's inbound subjects, in one resolver (JetStream consumers, HTTP publish). */
    @Provides
    @Singleton
    static io.relaymesh.domain.model.SubjectBindings subjectBindings(
            java.util.Set<io.relaymesh.domain.model.SubjectBinding> bindings) {
        return new io.relaymesh.domain.model.SubjectBindings(java.util.List.copyOf(bindings));
    }
}
