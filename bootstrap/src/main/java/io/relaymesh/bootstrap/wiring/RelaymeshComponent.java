package io.relaymesh.bootstrap.wiring;

import dagger.BindsInstance;
import dagger.Component;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.relaymesh.adapters.web.WebEdge;
import io.relaymesh.adapters.web.http.HealthState;
import io.relaymesh.adapters.web.metrics.DependencyMonitor;
import io.relaymesh.adapters.web.ws.ConnectionTracker;
import io.relaymesh.adapters.web.ws.LivenessSettings;
import io.relaymesh.adapters.web.ws.WriterSettings;
import io.relaymesh.application.auth.ApiKeys;
import io.relaymesh.application.connection.ConnectionHub;
import io.relaymesh.application.connection.Gateway;
import io.relaymesh.application.connection.SessionManager;
import io.relaymesh.application.settings.GatewaySettings;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.application.stats.PodStatsReporter;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.domain.port.KillSwitch;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.domain.port.RouteRegistry;
import io.relaymesh.domain.port.SessionLocks;
import io.relaymesh.domain.port.TokenCodec;

import javax.inject.Singleton;

/**
 * What the gateway's lifecycle reads from its object graph. Built by {@link StandaloneComponent} or
 * {@link ClusterComponent}, which differ only in their mode module ({@link StandaloneMode},
 * {@link ClusterMode}: which adapter is bound to each port, with {@code @Binds}, and the publisher,
 * forwarder and delivery path). Cluster-only objects are reached through {@link #cluster()} and
 * built only in cluster mode.
 */
public interface RelaymeshComponent {
    WebEdge webEdge();

    /** Where a reload applies new stream retention (nothing in standalone). */
    StreamRetention streamRetention();

    Gateway gateway();

    SessionManager sessionManager();

    ConnectionHub hub();

    ConnectionTracker tracker();

    RouteRegistry routeRegistry();

    SessionLocks sessionLocks();

    KillSwitch killSwitch();

    PodDirectory podDirectory();

    HealthState health();

    DependencyMonitor dependencies();

    PrometheusMeterRegistry meterRegistry();

    RelaymeshConfig config();

    javax.inject.Provider<ClusterParts> cluster();

    GrpcServerHolder grpcServer();

    RuntimeFacts facts();

    /** The dialects' steps for backends' envelopes, applied by the JetStream consumer. */
    io.relaymesh.application.dialect.Intakes intakes();

    PodStatsReporter statsReporter();

    /** Settings the modules (dialects) derive from the configuration, replaced by a reload. */
    java.util.Set<ConfigFollower> configFollowers();

    // The holders a configuration reload replaces.

    Settings<GatewaySettings> gatewaySettings();

    Settings<WriterSettings> writerSettings();

    Settings<LivenessSettings> livenessSettings();

    Settings<ApiKeys> apiKeys();

    Settings<TokenCodec> tokenCodec();

    Settings<io.relaymesh.domain.port.JwtVerifier> jwtVerifier();

}
