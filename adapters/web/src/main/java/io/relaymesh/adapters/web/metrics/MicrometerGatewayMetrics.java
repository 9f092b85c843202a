package io.relaymesh.adapters.web.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.application.connection.ErrorCode;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application's metrics in Micrometer, exported as Prometheus {@code relaymesh_*} series.
 * Thread-safe; meters are created once and cached so the hot path only increments.
 */
public final class MicrometerGatewayMetrics implements GatewayMetrics {
    /** The label values the use cases pass today (see {@link GatewayMetrics}); others still get a series. */
    static final List<String> DROP_REASONS = List.of("drop_oldest", "slow_consumer", "backlog_limit", "closed");
    static final List<String> TAKEOVERS = List.of("local", "stale_local", "kill_request", "dead_pod",
            "unreachable_pod");
    static final List<String> STATE_OPERATIONS = List.of("session_lock", "route_register", "session_refresh",
            "route_refresh");

    private final MeterRegistry registry;
    private final Map<Kind, AtomicInteger> active = new EnumMap<>(Kind.class);
    private final Map<Kind, Counter> authSuccess = new EnumMap<>(Kind.class);
    private final Map<Kind, Timer> duration = new EnumMap<>(Kind.class);
    private final Map<String, Counter> authFailure = new ConcurrentHashMap<>();
    private final Map<String, Counter> serverKeyOnSocket = new ConcurrentHashMap<>();
    private final Map<Kind, Counter> originRefused = new EnumMap<>(Kind.class);
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
    private final Map<String, Counter> takeovers = new ConcurrentHashMap<>();
    private final Counter sent;
    private final Counter received;
    private final Counter published;
    private final Counter handled;
    private final Counter routesRegistered;
    private final Timer refresh;
    private final Map<String, Counter> stateErrors = new ConcurrentHashMap<>();
    private final Map<String, Counter> settled = new ConcurrentHashMap<>();
    private final Counter lockAttempts;
    private final Counter lockSuccess;
    private final Timer latency;
    private final Counter resumedRecovered;
    private final Counter resumedGap;
    private final Counter replayedEvents;

    public MicrometerGatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Kind kind : Kind.values()) {
            AtomicInteger gauge = new AtomicInteger();
            active.put(kind, gauge);
            registry.gauge("relaymesh_active_connections", io.micrometer.core.instrument.Tags.of("kind", kind.name()),
                    gauge);
            authSuccess.put(kind, Counter.builder("relaymesh_auth_success").tag("kind", kind.name())
                    .description("Connections authenticated").register(registry));
            originRefused.put(kind, Counter.builder("relaymesh_ws_origin_refused").tag("kind", kind.name())
                    .description("WebSocket upgrades refused for an Origin not in server.allowed_origins")
                    .register(registry));
            for (String outcome : List.of("accepted", "refused")) {
                serverKeyCounter(kind, outcome);
            }
            duration.put(kind, Timer.builder("relaymesh_connection_duration").tag("kind", kind.name())
                    .description("How long connections stayed open")
                    .serviceLevelObjectives(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1),
                            Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(8))
                    .register(registry));
        }
        sent = Counter.builder("relaymesh_messages_sent").description("Event frames written to clients")
                .register(registry);
        received = Counter.builder("relaymesh_messages_received").description("Frames received from clients")
                .register(registry);
        published = Counter.builder("relaymesh_events_published").description("Events accepted for delivery")
                .register(registry);
        handled = Counter.builder("relaymesh_events_handled")
                .description("Events this pod took for delivery: consumed from JetStream, or published directly (standalone)")
                .register(registry);
        routesRegistered = Counter.builder("relaymesh_route_registrations")
                .description("Route keys this pod registered in the route registry").register(registry);
        refresh = Timer.builder("relaymesh_refresh_duration")
                .description("One refresh of every local session lock and route")
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1))
                .register(registry);
        lockAttempts = Counter.builder("relaymesh_session_lock_attempts").description("Session lock attempts")
                .register(registry);
        lockSuccess = Counter.builder("relaymesh_session_lock_success").description("Session locks acquired")
                .register(registry);
        latency = Timer.builder("relaymesh_delivery_latency")
                .description("From publish to the frame written to the client socket")
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
                        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                        Duration.ofSeconds(5))
                .register(registry);
        resumedRecovered = Counter.builder("relaymesh_resumes").tag("outcome", "recovered")
                .description("Clients that reconnected with since: recovered (every missed event given) or gap")
                .register(registry);
        resumedGap = Counter.builder("relaymesh_resumes").tag("outcome", "gap")
                .description("Clients that reconnected with since: recovered (every missed event given) or gap")
                .register(registry);
        replayedEvents = Counter.builder("relaymesh_resume_replayed_events")
                .description("Missed events read back from the history for resuming clients").register(registry);
        // Registered up front so dashboards show a zero rather than no series, and so the first
        // occurrence is an increase that rate() and alerts see (a counter born at 1 has no rate).
        DROP_REASONS.forEach(this::droppedCounter);
        TAKEOVERS.forEach(this::takeoverCounter);
        STATE_OPERATIONS.forEach(this::stateErrorCounter);
    }

    @Override
    public void resumed(boolean recovered, int events) {
        (recovered ? resumedRecovered : resumedGap).increment();
        replayedEvents.increment(events);
    }

    @Override
    public void authSucceeded(Kind kind) {
        authSuccess.get(kind).increment();
    }

    @Override
    public void authFailed(Kind kind, ErrorCode reason) {
        authFailure.computeIfAbsent(kind + ":" + reason, k -> Counter.builder("relaymesh_auth_failure")
                .tag("kind", kind.name()).tag("reason", reason.name())
                .description("Connections refused at authentication").register(registry)).increment();
    }

    @Override
    public void serverKeyOnSocket(Kind kind, boolean accepted) {
        serverKeyCounter(kind, accepted ? "accepted" : "refused").increment();
    }

    private Counter serverKeyCounter(Kind kind, String outcome) {
        return serverKeyOnSocket.computeIfAbsent(kind + ":" + outcome, k -> Counter.builder("relaymesh_ws_server_key")
                .tag("kind", kind.name()).tag("outcome", outcome)
                .description("WebSocket upgrades that presented a server key (auth.secret_token or "
                        + "auth.admin_secret_token); accepted only with auth.ws_accepts_secret_token")
                .register(registry));
    }

    @Override
    public void originRefused(Kind kind) {
        originRefused.get(kind).increment();
    }

    @Override
    public void connectionOpened(Kind kind) {
        active.get(kind).incrementAndGet();
    }

    @Override
    public void connectionClosed(Kind kind, long durationMillis) {
        active.get(kind).decrementAndGet();
        duration.get(kind).record(durationMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void messageReceived() {
        received.increment();
    }

    @Override
    public void messageSent() {
        sent.increment();
    }

    @Override
    public void messageDropped(String reason) {
        droppedCounter(reason).increment();
    }

    private Counter droppedCounter(String reason) {
        return dropped.computeIfAbsent(reason, r -> Counter.builder("relaymesh_websocket_messages_dropped")
                .tag("reason", r).description("Event frames not delivered to a client").register(registry));
    }

    @Override
    public void deliveryLatency(long millis) {
        latency.record(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void sessionLockAttempt() {
        lockAttempts.increment();
    }

    @Override
    public void sessionLockAcquired() {
        lockSuccess.increment();
    }

    @Override
    public void sessionTakeover(String how) {
        takeoverCounter(how).increment();
    }

    private Counter takeoverCounter(String how) {
        return takeovers.computeIfAbsent(how, h -> Counter.builder("relaymesh_session_takeovers").tag("how", h)
                .description("Sessions taken from an older connection").register(registry));
    }

    @Override
    public void eventPublished() {
        published.increment();
    }

    @Override
    public void routeRegistered() {
        routesRegistered.increment();
    }

    @Override
    public void refreshDuration(long millis) {
        refresh.record(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stateError(String operation) {
        stateErrorCounter(operation).increment();
    }

    private Counter stateErrorCounter(String operation) {
        return stateErrors.computeIfAbsent(operation, o -> Counter.builder("relaymesh_state_errors")
                .tag("operation", o).description("Failed calls to the session/route store (Redis in cluster mode)")
                .register(registry));
    }

    @Override
    public void eventConsumed() {
        settledCounter("consumed").increment();
    }

    @Override
    public void eventHandled() {
        handled.increment();
    }

    @Override
    public void eventAcked() {
        settledCounter("acked").increment();
    }

    @Override
    public void eventNaked() {
        settledCounter("naked").increment();
    }

    @Override
    public void eventTerminated() {
        settledCounter("terminated").increment();
    }

    private Counter settledCounter(String outcome) {
        return settled.computeIfAbsent(outcome, o -> Counter.builder("relaymesh_stream_events").tag("outcome", o)
                .description("Events taken from JetStream, and how they were settled").register(registry));
    }
}
