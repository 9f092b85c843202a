package io.relaymesh.adapters.web;

import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.staticcontent.StaticContentService;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.webserver.websocket.WsUpgrader;
import io.relaymesh.adapters.web.limits.ClientLimitFilter;
import io.relaymesh.adapters.web.limits.GuardedHttp1;
import io.relaymesh.adapters.web.ws.ProtocolErrorGuard;
import io.relaymesh.adapters.web.dashboard.DashboardPages;
import io.relaymesh.adapters.web.http.RequestIdFilter;
import io.relaymesh.adapters.web.ws.ConnectionTracker;
import io.relaymesh.adapters.web.ws.EndpointContext;
import io.relaymesh.adapters.web.ws.GatewayWsListener;
import io.relaymesh.adapters.web.dialect.DedicatedListener;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Helidon server: WebSocket endpoints {@code /ws/{company}/{agent}} and {@code /ws/admin},
 * the dialects' endpoints, the HTTP API, the admin API and the static pages, on one port; plus the
 * dedicated listeners some dialects have (TLS, every path theirs). Stopping closes every socket
 * with 1001 first.
 */
public final class WebEdge implements AutoCloseable {
    // SLF4J, not java.util.logging: JUL resets its handlers in its own shutdown hook, which
    // would swallow the lines logged while we shut down.
    private static final Logger LOG = LoggerFactory.getLogger(WebEdge.class);

    private final WebSettings settings;
    private final EndpointContext endpoints;
    private final List<HttpService> services;
    private final Optional<ListenerTls> tls;
    private final io.relaymesh.adapters.web.dialect.DialectEndpoints dialects;
    private WebServer server;
    private GuardedHttp1 guarded;
    private final List<GuardedHttp1> dedicatedGuards = new java.util.ArrayList<>();

    /** @param services the HTTP services, routed in this order before the static pages */
    public WebEdge(WebSettings settings, EndpointContext endpoints, List<HttpService> services) {
        this(settings, endpoints, services, Optional.empty());
    }

    /** @param tls the listener's certificate and key; empty for plain HTTP */
    public WebEdge(WebSettings settings, EndpointContext endpoints, List<HttpService> services,
                   Optional<ListenerTls> tls) {
        this(settings, endpoints, services, tls, io.relaymesh.adapters.web.dialect.DialectEndpoints.none());
    }

    /** @param dialects the other wire protocols' endpoints */
    public WebEdge(WebSettings settings, EndpointContext endpoints, List<HttpService> services,
                   Optional<ListenerTls> tls, io.relaymesh.adapters.web.dialect.DialectEndpoints dialects) {
        this.settings = settings;
        this.endpoints = endpoints;
        this.services = List.copyOf(services);
        this.tls = tls;
        this.dialects = dialects;
    }

    private WsRouting.Builder wsRouting() {
        WsRouting.Builder routing = WsRouting.builder()
                .endpoint("/ws/admin", () -> GatewayWsListener.admin(endpoints))
                .endpoint("/ws/{company}/{agent}", () -> GatewayWsListener.user(endpoints));
        dialects.register(routing, endpoints);
        return routing;
    }

    /** Starts listening; returns the bound port. */
    public int start() {
        ConnectionTracker tracker = endpoints.tracker();
        // Helidon's wire log (debug level) prints whole prologues and header blocks: the token
        // and API key of every WebSocket URL, and every X-API-Key header. Never turn it on.
        Http1Config http1 = Http1Config.builder().receiveLog(false).sendLog(false).build();
        // Helidon's own frame cap is above ours (and every dialect's) so an oversized frame gets our
        // 4400, not 1009.
        WsConfig ws = WsConfig.builder().maxFrameLength(dialects.maxFrameBytes(settings.maxFrameBytes()) * 4 + 4096)
                .build();
        // Our own HTTP/1.1 selector instead of the discovered one: it sees each connection when
        // accepted (per-IP cap, header deadline) and wraps the WebSocket upgrader (protocol errors).
        guarded = GuardedHttp1.create(http1, endpoints.limits(),
                new ProtocolErrorGuard(WsUpgrader.create(ws), endpoints.limits().metrics()));
        // The TCP budget (kept below the open-file limit, so accept() never fails) is shared by
        // the main listener and the dialects' own.
        int maxTcp = Math.max(16, settings.maxTcpConnections() / (1 + dialects.listeners().size()));
        WebServerConfig.Builder builder = WebServer.builder();
        tls.ifPresent(files -> builder.tls(files.load()));
        for (DedicatedListener listener : dialects.listeners()) {
            GuardedHttp1 guard = GuardedHttp1.create(http1, endpoints.limits(),
                    new ProtocolErrorGuard(WsUpgrader.create(ws), endpoints.limits().metrics()));
            dedicatedGuards.add(guard);
            WsRouting.Builder routing = WsRouting.builder();
            dialects.registerDedicated(routing, endpoints, listener);
            builder.putSocket(listener.name(), socket -> socket
                    .host(settings.host())
                    .port(listener.port())
                    .tls(listener.tls().load())
                    .maxTcpConnections(maxTcp)
                    .idleConnectionTimeout(settings.idleTimeout())
                    .idleConnectionPeriod(settings.idlePeriod())
                    .maxPayloadSize(1024 * 1024)
                    .shutdownGracePeriod(settings.shutdownGrace())
                    .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                    .protocolsDiscoverServices(false)
                    .addProtocol(ws)
                    .addConnectionSelector(guard)
                    .routing(http -> {
                        http.addFilter(new ClientLimitFilter(endpoints.limits()));
                        http.any((request, response) -> response.status(io.helidon.http.Status.UPGRADE_REQUIRED_426)
                                .header(io.helidon.http.HeaderNames.UPGRADE, "websocket")
                                .send("This port serves WebSocket clients of the " + listener.dialect().name()
                                        + " dialect (wss://, any path).\n"));
                    })
                    .addRouting(routing));
        }
        server = builder
                .host(settings.host())
                .port(settings.port())
                .maxTcpConnections(maxTcp)
                .idleConnectionTimeout(settings.idleTimeout())
                .idleConnectionPeriod(settings.idlePeriod())
                .maxPayloadSize(1024 * 1024)
                .shutdownGracePeriod(settings.shutdownGrace())
                // Our own shutdown closes sockets with 1001 first; Helidon's hook would race it.
                .shutdownHook(false)
                // Nagle's algorithm held a lone event frame until the client's delayed ACK (p50 of
                // 40-70 ms at 50-100 broadcasts/s). Off, a frame leaves at once; a client that falls
                // behind still gets its queued frames in one write (WsConnection).
                .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                .protocolsDiscoverServices(false)
                // Helidon's WebSocket connection reads its settings from here; no HTTP/1 entry, so the
                // only connection selector is ours.
                .addProtocol(ws)
                .addConnectionSelector(guarded)
                .routing(routing -> {
                    routing.addFilter(new ClientLimitFilter(endpoints.limits()));
                    routing.addFilter(new RequestIdFilter());
                    services.forEach(routing::register);
                    if (settings.dashboardsEnabled()) {
                        routing.register(new DashboardPages());
                        routing.register("/", StaticContentService.builder("web").welcomeFileName("index.html").build());
                    }
                })
                .addRouting(wsRouting())
                .build()
                .start();
        if (!server.isRunning() || server.port() <= 0) {
            server.stop();
            throw new IllegalStateException("could not listen on " + settings.host() + ":" + settings.port()
                    + " (is the port in use? set server.http_port / RELAYMESH_SERVER_HTTP_PORT)");
        }
        for (DedicatedListener listener : dialects.listeners()) {
            if (server.port(listener.name()) <= 0) {
                server.stop();
                throw new IllegalStateException("could not listen on " + settings.host() + ":" + listener.port()
                        + " for the " + listener.dialect().name() + " dialect (is the port in use, or below 1024 "
                        + "without the capability to bind it?)");
            }
        }
        tracker.start();
        guarded.start();
        dedicatedGuards.forEach(GuardedHttp1::start);
        dialects.start();
        LOG.info("listening on " + settings.host() + ":" + server.port()
                + tls.map(t -> " with TLS (certificate " + t.certFile() + ")").orElse(" without TLS") + " (max "
                + settings.maxConnections() + " WebSocket connections)");
        for (DedicatedListener listener : dialects.listeners()) {
            LOG.info("listening on " + settings.host() + ":" + server.port(listener.name()) + " with TLS (certificate "
                    + listener.tls().certFile() + ") for the " + listener.dialect().name() + " dialect, any path");
        }
        return server.port();
    }

    /** The bound ports of the dialects' own listeners, by name (empty before {@link #start()}). */
    public java.util.Map<String, Integer> dedicatedPorts() {
        java.util.Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        if (server != null) {
            for (DedicatedListener listener : dialects.listeners()) {
                ports.put(listener.name(), server.port(listener.name()));
            }
        }
        return ports;
    }

    /** The bound port of the dedicated listener named {@code name}, or -1 when there is none. */
    public int port(String name) {
        return server == null ? -1 : server.port(name);
    }

    public int port() {
        return server.port();
    }

    /**
     * Reads the certificate and key files again and serves them to new connections; open
     * connections keep the session they negotiated. Does nothing without TLS.
     *
     * @throws IllegalStateException when a file cannot be read; the running certificate stays
     */
    public void reloadTls() {
        if (server == null) {
            return;
        }
        // Every file is read before any is served, so a bad one changes nothing.
        Optional<io.helidon.common.tls.Tls> main = tls.map(ListenerTls::load);
        List<io.helidon.common.tls.Tls> dedicated = dialects.listeners().stream().map(l -> l.tls().load()).toList();
        main.ifPresent(loaded -> {
            server.reloadTls(loaded);
            LOG.info("TLS certificate reloaded from " + tls.get().certFile());
        });
        for (int i = 0; i < dedicated.size(); i++) {
            DedicatedListener listener = dialects.listeners().get(i);
            server.reloadTls(listener.name(), dedicated.get(i));
            LOG.info("TLS certificate of the " + listener.dialect().name() + " listener reloaded from "
                    + listener.tls().certFile());
        }
    }

    public boolean isRunning() {
        return server != null && server.isRunning();
    }

    /** Closes every WebSocket with 1001, waits briefly for the close frames, then stops the server. */
    @Override
    public void close() {
        if (server == null) {
            return;
        }
        ConnectionTracker tracker = endpoints.tracker();
        int open = tracker.size();
        LOG.info("stopping: closing " + open + " connections with 1001");
        int unfinished = tracker.closeAll(1001, "server shutting down",
                System.nanoTime() + TimeUnit.SECONDS.toNanos(3));
        if (unfinished > 0) {
            LOG.warn("stopping: " + unfinished + " close frames not written within 3 s; dropping those sockets");
        }
        dialects.stop();
        tracker.close();
        guarded.close();
        dedicatedGuards.forEach(GuardedHttp1::close);
        server.stop();
        ExecutorService writers = endpoints.writers();
        writers.shutdown();
        dialects.close();
        server = null;
    }
}
