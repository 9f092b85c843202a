package io.relaymesh.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.relaymesh.adapters.web.ListenerTls;
import io.relaymesh.adapters.web.WebEdge;
import io.relaymesh.adapters.web.WebSettings;
import io.relaymesh.adapters.web.http.AdminApiService;
import io.relaymesh.adapters.web.http.DashboardDefaults;
import io.relaymesh.adapters.web.http.GatewayHttpService;
import io.relaymesh.adapters.web.http.HealthState;
import io.relaymesh.adapters.web.http.ReadinessCheck;
import io.relaymesh.adapters.web.limits.ClientLimits;
import io.relaymesh.adapters.web.limits.LimitSettings;
import io.relaymesh.adapters.web.limits.TrustedProxies;
import io.relaymesh.adapters.web.metrics.DependencyMonitor;
import io.relaymesh.adapters.web.metrics.MicrometerEdgeMetrics;
import io.relaymesh.adapters.web.metrics.MicrometerGatewayMetrics;
import io.relaymesh.adapters.web.ws.ConnectionTracker;
import io.relaymesh.adapters.web.ws.EndpointContext;
import io.relaymesh.adapters.web.ws.OriginPolicy;
import io.relaymesh.adapters.web.http.OriginRefusalService;
import io.relaymesh.adapters.web.ws.LivenessSettings;
import io.relaymesh.adapters.web.ws.WriterSettings;
import io.relaymesh.application.admin.ClusterOverview;
import io.relaymesh.application.admin.RouteOverview;
import io.relaymesh.application.admin.SessionAdmin;
import io.relaymesh.application.auth.ApiKeys;
import io.relaymesh.application.auth.TokenIssuer;
import io.relaymesh.application.auth.TokenMetrics;
import io.relaymesh.application.auth.TokenRevocation;
import io.relaymesh.adapters.web.metrics.MicrometerTokenMetrics;
import io.relaymesh.application.connection.Gateway;
import io.relaymesh.application.delivery.PublishService;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.application.stats.ActivityMetrics;
import io.relaymesh.application.stats.PodActivity;
import io.relaymesh.bootstrap.config.AppConfig;
import io.relaymesh.bootstrap.config.ClientLimitsConfig;
import io.relaymesh.bootstrap.config.DropPolicy;
import io.relaymesh.bootstrap.config.ListenerTlsConfig;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.bootstrap.config.ServerConfig;
import io.relaymesh.domain.port.IdGenerator;

import javax.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/** The Helidon edge, its metrics registry and the settings it reads. */
@Module
public interface WebModule {
    /** TCP connections Helidon accepts beyond the WebSocket cap: HTTP requests, probes, refusals. */
    int TCP_HEADROOM = 256;

    /** Prometheus metrics, which also feed the live stats of the admin API (one counter more per call). */
    @Provides
    @Singleton
    static GatewayMetrics gatewayMetrics(MicrometerGatewayMetrics micrometer, PodActivity activity) {
        return new ActivityMetrics(micrometer, activity);
    }

    @Provides
    @Singleton
    static PrometheusMeterRegistry meterRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // Open files matter here: each socket is one, and the process limit caps connections.
        new io.micrometer.core.instrument.binder.system.FileDescriptorMetrics().bindTo(registry);
        return registry;
    }

    @Provides
    @Singleton
    static MicrometerGatewayMetrics micrometerMetrics(PrometheusMeterRegistry registry) {
        return new MicrometerGatewayMetrics(registry);
    }

    @Provides
    @Singleton
    static Settings<WriterSettings> writerSettings(RelaymeshConfig config) {
        return new Settings<>(writerSettingsOf(config));
    }

    static WriterSettings writerSettingsOf(RelaymeshConfig config) {
        AppConfig app = config.app();
        return new WriterSettings(app.websocketMessageBufferSize(),
                app.websocketBackpressureDropPolicy() == DropPolicy.DROP_OLDEST, app.websocketBlockTimeout(),
                app.websocketStallTimeout(), app.websocketMaxBacklogBytes(), app.websocketHardBacklogBytes());
    }

    @Provides
    @Singleton
    static Settings<LivenessSettings> livenessSettings(RelaymeshConfig config) {
        return new Settings<>(livenessSettingsOf(config));
    }

    static LivenessSettings livenessSettingsOf(RelaymeshConfig config) {
        return new LivenessSettings(config.app().pingInterval(), config.app().pongWait());
    }

    @Provides
    @Singleton
    static WebSettings webSettings(RelaymeshConfig config, RuntimeFacts facts) {
        ServerConfig server = config.server();
        int maxConnections = server.effectiveMaxConnections(facts.openFileLimit());
        if (server.maxConnections() > maxConnections) {
            java.util.logging.Logger.getLogger(WebModule.class.getName()).warning("server.max_connections "
                    + server.maxConnections() + " is above what the open-file limit of " + facts.openFileLimit()
                    + " allows; clamped to " + maxConnections);
        }
        // Helidon's TCP cap sits between our WebSocket cap and the file limit: above the cap so the
        // refusal frame (ServerFull) can be sent, below the limit so accept() never fails.
        // The headroom above the WebSocket cap keeps /health, /ready and /metrics answering while the
        // cap is reached and idle or slow sockets wait for their header deadline (Helidon stops
        // accepting at its TCP cap, so without room a probe would wait in the kernel's backlog).
        long limit = facts.openFileLimit() > 0 ? facts.openFileLimit() : Integer.MAX_VALUE;
        int maxTcp = (int) Math.min(limit - 100, (long) maxConnections + TCP_HEADROOM);
        Duration pongWait = config.app().pongWait();
        // Helidon counts only client frames as activity: stay well above the pong wait so clients
        // that only receive (and answer our pings) are never cut; dead ones go by the pong wait.
        Duration idle = pongWait.multipliedBy(3).compareTo(Duration.ofMinutes(5)) > 0
                ? pongWait.multipliedBy(3) : Duration.ofMinutes(5);
        Duration idlePeriod = pongWait.compareTo(Duration.ofMinutes(2)) < 0 ? pongWait : Duration.ofMinutes(2);
        return new WebSettings(server.host(), server.httpPort(), maxConnections, Math.max(maxTcp, 16),
                server.maxFrameBytes(), idle, idlePeriod, server.shutdownTimeout(), server.dashboardsEnabled());
    }

    @Provides
    @Singleton
    static ConnectionTracker connectionTracker(Settings<LivenessSettings> liveness, WebSettings web,
                                               PrometheusMeterRegistry registry) {
        ConnectionTracker tracker = new ConnectionTracker(liveness, web.maxConnections());
        io.micrometer.core.instrument.Gauge.builder("relaymesh_websocket_buffer_used", tracker,
                        ConnectionTracker::queuedFrames)
                .description("Frames waiting in connection buffers (all connections of this pod)")
                .baseUnit("frames").register(registry);
        io.micrometer.core.instrument.Gauge.builder("relaymesh_websocket_backlog", tracker,
                        ConnectionTracker::backlogBytes)
                .description("Bytes of event frames queued or being written to clients (all connections of this pod)")
                .baseUnit("bytes").register(registry);
        io.micrometer.core.instrument.Gauge.builder("relaymesh_websocket_connections_max", tracker,
                        ConnectionTracker::maxConnections)
                .description("Connections this pod accepts before refusing with ServerFull").register(registry);
        return tracker;
    }

    @Provides
    @Singleton
    static ClientLimits clientLimits(RelaymeshConfig config, PrometheusMeterRegistry registry) {
        ClientLimitsConfig c = config.server().clientLimits();
        LimitSettings settings = new LimitSettings(c.requestHeaderTimeout(), c.maxConnectionsPerIp(),
                c.upgradesPerIpPerSecond(), c.upgradeBurstPerIp(), c.requestsPerIpPerSecond(), c.requestBurstPerIp(),
                TrustedProxies.parse(c.trustedProxies()));
        return new ClientLimits(settings, new MicrometerEdgeMetrics(registry));
    }

    @Provides
    @Singleton
    static HealthState healthState() {
        return new HealthState();
    }

    @Provides
    @Singleton
    static EndpointContext endpointContext(Gateway gateway, ConnectionTracker tracker,
                                           Settings<WriterSettings> writerSettings, GatewayMetrics metrics,
                                           IdGenerator ids, WebSettings web, RelaymeshConfig config,
                                           ClientLimits limits) {
        return new EndpointContext(gateway, tracker, Executors.newVirtualThreadPerTaskExecutor(), writerSettings,
                metrics, ids, web.maxFrameBytes(), new OriginPolicy(Set.copyOf(config.server().allowedOrigins())),
                limits);
    }

    @Provides
    @Singleton
    static List<ReadinessCheck> readinessChecks(RelaymeshConfig config,
                                                javax.inject.Provider<io.relaymesh.adapters.redis.RedisConnections> redis,
                                                javax.inject.Provider<io.relaymesh.adapters.nats.NatsConnections> nats,
                                                GrpcServerHolder grpc) {
        if (config.standalone()) {
            // Standalone: state is in this process's memory and always available.
            return List.of(check("state", () -> null));
        }
        return List.of(
                check("redis", () -> redis.get().pingProblem().map(problem -> "Redis at " + config.redis().address()
                        + " does not answer PING: " + problem).orElse(null)),
                check("nats", () -> nats.get().isConnected() ? null : "not connected to NATS at "
                        + config.nats().displayUrl()),
                check("grpc", grpc::problem));
    }

    /**
     * The checks of {@code /ready} as {@code relaymesh_dependency_up{dependency}} gauges, 1 or 0
     * (NaN before the first check), read from the monitor's last results: a scrape never waits on
     * Redis. {@code Relaymesh} starts the monitor.
     */
    @Provides
    @Singleton
    static DependencyMonitor dependencyMonitor(List<ReadinessCheck> readiness, PrometheusMeterRegistry registry) {
        DependencyMonitor monitor = new DependencyMonitor(readiness);
        for (String name : monitor.names()) {
            io.micrometer.core.instrument.Gauge.builder("relaymesh_dependency_up", monitor,
                            m -> m.up(name).map(up -> up ? 1.0 : 0.0).orElse(Double.NaN))
                    .tag("dependency", name)
                    .description("Whether the readiness check of this dependency passed when last run (1) or not (0)")
                    .register(registry);
        }
        return monitor;
    }

    private static ReadinessCheck check(String name, java.util.function.Supplier<String> problem) {
        return new ReadinessCheck() {
            public String name() {
                return name;
            }

            public String problem() {
                return problem.get();
            }
        };
    }

    @Provides
    @Singleton
    static GatewayHttpService httpService(Settings<ApiKeys> keys, TokenIssuer issuer, PublishService publisher,
                                          PrometheusMeterRegistry registry, HealthState health,
                                          List<ReadinessCheck> readiness, ConnectionTracker tracker,
                                          RuntimeFacts facts) {
        return new GatewayHttpService(keys, issuer, publisher, registry, health, readiness, tracker::size,
                facts.podId().value());
    }

    @Provides
    @Singleton
    static AdminApiService adminApiService(Settings<ApiKeys> keys, ClusterOverview cluster, SessionAdmin sessions,
                                           RouteOverview routes, TokenRevocation revocation) {
        return new AdminApiService(keys, cluster, sessions, routes, revocation);
    }

    @Provides
    @Singleton
    static TokenMetrics tokenMetrics(PrometheusMeterRegistry registry) {
        return new MicrometerTokenMetrics(registry);
    }

    @Provides
    @Singleton
    static DashboardDefaults dashboardDefaults(RelaymeshConfig config, RuntimeFacts facts, Settings<ApiKeys> keys) {
        Map<String, String> generated = facts.generated().values();
        // A key counts only while it is still the one generated at start: a reload may configure one.
        return new DashboardDefaults(config.standalone(), facts.podId().value(), () -> {
            ApiKeys current = keys.get();
            Map<String, String> prefill = new java.util.LinkedHashMap<>();
            if (current.general().equals(generated.get("auth.secret_token"))) {
                prefill.put("api_key", current.general());
            }
            if (current.admin().equals(generated.get("auth.admin_secret_token"))) {
                prefill.put("admin_api_key", current.admin());
            }
            if (!prefill.isEmpty()) {
                // The public keys the pages put on socket URLs ("" when none is configured): they
                // open sockets and nothing else, so a page that may have the keys above may have them.
                prefill.put("client_api_key", current.clients().user());
                prefill.put("admin_client_api_key", current.clients().admin());
            }
            return prefill;
        });
    }

    @Provides
    @Singleton
    static WebEdge webEdge(RelaymeshConfig config, WebSettings web, EndpointContext endpoints, GatewayHttpService api,
                           AdminApiService admin, DashboardDefaults defaults,
                           io.relaymesh.adapters.web.dialect.DialectEndpoints dialects,
                           Set<io.helidon.webserver.http.HttpService> dialectHttpServices) {
        // First: a declined upgrade (foreign Origin) must get its 403 before any other route.
        ListenerTlsConfig tls = config.server().tls();
        List<io.helidon.webserver.http.HttpService> services = new java.util.ArrayList<>(
                List.of(new OriginRefusalService(endpoints.origins()), api, admin, defaults));
        services.addAll(dialectHttpServices);
        return new WebEdge(web, endpoints, services, tls.enabled()
                ? java.util.Optional.of(new ListenerTls(java.nio.file.Path.of(tls.certFile()),
                        java.nio.file.Path.of(tls.keyFile())))
                : java.util.Optional.empty(), dialects);
    }
}
