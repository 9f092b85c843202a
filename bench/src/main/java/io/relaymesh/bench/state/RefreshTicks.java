package io.relaymesh.bench.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.application.connection.ClientMessage;
import io.relaymesh.application.connection.Gateway;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.bench.support.Deadline;
import io.relaymesh.bench.support.Progress;
import io.relaymesh.bench.support.Samples;
import io.relaymesh.bench.support.Table;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The periodic refresh ({@link Gateway#refresh()}) with many local sessions: each session is its
 * own user on its own agent (one lock and one route key each: the most route keys per session
 * without chats), then every session selects a chat of its own (a second route key each). Ticks
 * run back to back with a short pause, each timed and its round trips counted; the parts
 * (locks alone, routes alone) are timed separately too. Sessions are opened and closed by a
 * bounded pool of threads, as many WebSocket handshakes would.
 */
public final class RefreshTicks {
    /** Ticks of each part timed alone, for the split between session locks and routes. */
    private static final int PART_TICKS = 10;
    private static final String LOCKS_PART = "session locks (SessionLocks.refreshAll)";
    private static final String ROUTES_PART = "route keys (ConnectionHub.refreshRoutes)";

    private final RedisStack stack;
    private final Progress progress;
    private final Deadline deadline;
    private final int threads;
    private final List<TickStats> scenarios = new ArrayList<>();
    private final Map<String, Samples> parts = new LinkedHashMap<>();
    private final Map<String, Samples> partTrips = new LinkedHashMap<>();
    /** Microseconds Redis spent running each part's scripts (INFO commandstats). */
    private final Map<String, Samples> partServerMicros = new LinkedHashMap<>();
    private final String redisHost;
    private final int redisPort;
    private final LocalSession[] sessions;
    private int opened;
    private double openSeconds;
    private long openRoundTrips;
    private double closeSeconds;
    private long closeRoundTrips;
    private int closedByGateway;

    private RefreshTicks(RedisStack stack, String redisHost, int redisPort, int count, int threads, Deadline deadline,
                         Progress progress) {
        this.stack = stack;
        this.redisHost = redisHost;
        this.redisPort = redisPort;
        this.sessions = new LocalSession[count];
        this.threads = threads;
        this.deadline = deadline;
        this.progress = progress;
    }

    public static RefreshTicks measure(RedisStack stack, String redisHost, int redisPort, int sessions, int ticks,
                                       int warmupTicks, int pauseMillis, int threads, Deadline deadline,
                                       Progress progress) {
        RefreshTicks run = new RefreshTicks(stack, redisHost, redisPort, sessions, threads, deadline, progress);
        run.open();
        if (run.opened < sessions) {
            progress.line("only %d of %d sessions opened before the time limit; ticks measured with those", run.opened,
                    sessions);
        }
        run.ticks(new TickStats("agent route only", run.opened, run.opened), ticks, warmupTicks, pauseMillis);
        run.parts();
        run.selectChats();
        run.ticks(new TickStats("agent route + selected chat", run.opened, 2 * run.opened), ticks, warmupTicks,
                pauseMillis);
        int failures = NoopConnection.failures();
        run.closedByGateway = failures;
        if (failures > 0 || stack.gateway().connections() != run.opened) {
            progress.line("PROBLEM: %d connections were failed/closed by the gateway during the ticks; %d of %d remain",
                    failures, stack.gateway().connections(), run.opened);
        }
        run.closeAll();
        return run;
    }

    private void open() {
        long trips = stack.roundTrips();
        long start = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        forEachSession(sessions.length, i -> {
            String agent = "r" + i;
            sessions[i] = stack.connect("tick", agent, stack.userToken("tick", agent, "u" + i), "t" + i);
            stack.runCacheWrites();
            int n = done.incrementAndGet();
            if (n % 2_000 == 0) {
                progress.line("opened %d of %d sessions", n, sessions.length);
            }
        });
        openSeconds = (System.nanoTime() - start) / 1e9;
        openRoundTrips = stack.roundTrips() - trips;
        for (LocalSession session : sessions) {
            if (session != null) {
                opened++;
            }
        }
        progress.line("%d sessions open in %.1f s (%.2f round trips per connect, token cache writes included)",
                opened, openSeconds,
                opened == 0 ? 0.0 : (double) openRoundTrips / opened);
    }

    private void ticks(TickStats stats, int ticks, int warmupTicks, int pauseMillis) {
        try (RedisServerTime server = new RedisServerTime(redisHost, redisPort)) {
            for (int i = 0; i < warmupTicks + ticks && !deadline.passed(); i++) {
                long trips = stack.roundTrips();
                long serverMicros = server.scriptMicros();
                long start = System.nanoTime();
                stack.gateway().refresh();
                long elapsed = System.nanoTime() - start;
                long tickTrips = stack.roundTrips() - trips;
                long tickServerMicros = server.scriptMicros() - serverMicros;
                if (i == 0) {
                    stats.coldNanos = elapsed;
                    stats.coldRoundTrips = tickTrips;
                }
                if (i >= warmupTicks) {
                    stats.nanos.add(elapsed);
                    stats.roundTrips.add(tickTrips);
                    stats.serverMicros.add(tickServerMicros);
                }
                deadline.sleep(pauseMillis);
            }
        }
        scenarios.add(stats);
        if (stats.nanos.isEmpty()) {
            progress.line("%s: no tick measured before the time limit", stats.scenario);
            return;
        }
        progress.line("%s: %d ticks, %d-%d round trips each, p50 %.1f ms, p95 %.1f ms, max %.1f ms"
                        + " (Redis running scripts: p50 %.1f ms)", stats.scenario, stats.nanos.count(),
                stats.roundTrips.min(), stats.roundTrips.max(), stats.p50Millis(), stats.p95Millis(), stats.maxMillis(),
                stats.serverMicros.percentile(50) / 1e3);
    }

    /** Times the two halves of a tick alone: every lock in one call, every route key in one call. */
    private void parts() {
        Map<SessionKey, SessionOwner> held = new HashMap<>();
        for (LocalSession session : stack.hub().sessions()) {
            held.put(session.principal().sessionKey(), session.owner());
        }
        Duration lockTtl = stack.settings().initialSessionTtl();
        Samples locks = new Samples();
        Samples locksTrips = new Samples();
        Samples locksServer = new Samples();
        Samples routes = new Samples();
        Samples routesTrips = new Samples();
        Samples routesServer = new Samples();
        try (RedisServerTime server = new RedisServerTime(redisHost, redisPort)) {
            for (int i = 0; i < PART_TICKS && !deadline.passed(); i++) {
                long trips = stack.roundTrips();
                long serverMicros = server.scriptMicros();
                long start = System.nanoTime();
                stack.locks().refreshAll(held, lockTtl);
                locks.add(System.nanoTime() - start);
                locksTrips.add(stack.roundTrips() - trips);
                locksServer.add(server.scriptMicros() - serverMicros);
                trips = stack.roundTrips();
                serverMicros = server.scriptMicros();
                start = System.nanoTime();
                stack.hub().refreshRoutes();
                routes.add(System.nanoTime() - start);
                routesTrips.add(stack.roundTrips() - trips);
                routesServer.add(server.scriptMicros() - serverMicros);
                deadline.sleep(50);
            }
        }
        parts.put(LOCKS_PART, locks);
        partTrips.put(LOCKS_PART, locksTrips);
        partServerMicros.put(LOCKS_PART, locksServer);
        parts.put(ROUTES_PART, routes);
        partTrips.put(ROUTES_PART, routesTrips);
        partServerMicros.put(ROUTES_PART, routesServer);
    }

    private void selectChats() {
        long trips = stack.roundTrips();
        long start = System.nanoTime();
        forEachSession(opened, i -> {
            if (sessions[i] != null
                    && !(stack.gateway().handle(sessions[i], new ClientMessage.SelectChat("chat-" + i))
                    instanceof Gateway.Handled.Ok)) {
                throw new IllegalStateException("select_chat failed for session " + i);
            }
        });
        progress.line("every session selected a chat of its own in %.1f s (%.2f round trips each)",
                (System.nanoTime() - start) / 1e9, (double) (stack.roundTrips() - trips) / Math.max(1, opened));
    }

    private void closeAll() {
        long trips = stack.roundTrips();
        long start = System.nanoTime();
        forEachSession(sessions.length, i -> {
            if (sessions[i] != null) {
                stack.gateway().closed(sessions[i]);
            }
        });
        closeSeconds = (System.nanoTime() - start) / 1e9;
        closeRoundTrips = stack.roundTrips() - trips;
        progress.line("closed %d sessions in %.1f s (%.2f round trips per disconnect)", opened, closeSeconds,
                (double) closeRoundTrips / Math.max(1, opened));
    }

    /** Runs {@code action} for 0..count-1 on the pool; items not started before the deadline are skipped. */
    private void forEachSession(int count, IntConsumer action) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    if (!deadline.passed()) {
                        action.accept(index);
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get(Math.max(1, deadline.remainingMillis() + 10_000), TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("a session task failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    List<TickStats> scenarios() {
        return scenarios;
    }

    /** Whether every measured tick of every scenario took at most {@code max} round trips. */
    public boolean roundTripsAtMost(long max) {
        return scenarios.stream().allMatch(s -> s.roundTrips.isEmpty() || s.roundTrips.max() <= max);
    }

    public long maxRoundTripsPerTick() {
        return scenarios.stream().filter(s -> !s.roundTrips.isEmpty()).mapToLong(s -> s.roundTrips.max()).max().orElse(-1);
    }

    /** The worst p95 tick duration over the scenarios, in ms. */
    public double worstP95Millis() {
        return scenarios.stream().filter(s -> !s.nanos.isEmpty()).mapToDouble(TickStats::p95Millis).max().orElse(Double.NaN);
    }

    public double worstMaxMillis() {
        return scenarios.stream().filter(s -> !s.nanos.isEmpty()).mapToDouble(TickStats::maxMillis).max().orElse(Double.NaN);
    }

    public int opened() {
        return opened;
    }

    public ObjectNode toJson(ObjectNode node) {
        node.put("sessions_opened", opened);
        node.put("open_seconds", openSeconds);
        node.put("open_round_trips_per_connect", (double) openRoundTrips / Math.max(1, opened));
        node.put("close_seconds", closeSeconds);
        node.put("close_round_trips_per_disconnect", (double) closeRoundTrips / Math.max(1, opened));
        node.put("connections_failed_by_gateway", closedByGateway);
        ObjectNode scenarioNode = node.putObject("scenarios");
        for (TickStats stats : scenarios) {
            stats.toJson(scenarioNode.putObject(stats.scenario));
        }
        ObjectNode partNode = node.putObject("parts");
        parts.forEach((name, samples) -> {
            if (!samples.isEmpty()) {
                partNode.putObject(name)
                        .put("ticks", samples.count())
                        .put("round_trips_per_call_max", partTrips.get(name).max())
                        .put("redis_script_time_p50_ms", partServerMicros.get(name).percentile(50) / 1e3)
                        .put("duration_p50_ms", samples.percentile(50) / 1e6)
                        .put("duration_max_ms", samples.max() / 1e6);
            }
        });
        return node;
    }

    public String table() {
        Table table = new Table("scenario", "sessions", "route keys", "ticks", "round trips per tick", "p50 ms",
                "p95 ms", "max ms", "first tick ms", "Redis running scripts p50 ms");
        for (TickStats s : scenarios) {
            if (s.nanos.isEmpty()) {
                table.row(s.scenario, s.sessions, s.routeKeys, 0, "-", "-", "-", "-", "-", "-");
                continue;
            }
            String trips = s.roundTrips.min() == s.roundTrips.max() ? Long.toString(s.roundTrips.min())
                    : s.roundTrips.min() + "-" + s.roundTrips.max();
            table.row(s.scenario, s.sessions, s.routeKeys, s.nanos.count(), trips, ConnectCosts.oneDecimal(s.p50Millis()),
                    ConnectCosts.oneDecimal(s.p95Millis()), ConnectCosts.oneDecimal(s.maxMillis()),
                    ConnectCosts.oneDecimal(s.coldNanos / 1e6),
                    ConnectCosts.oneDecimal(s.serverMicros.percentile(50) / 1e3));
        }
        return table.render();
    }

    public String partsTable() {
        Table table = new Table("part of a tick (agent routes only)", "calls", "round trips per call", "p50 ms",
                "max ms", "of which Redis running scripts, p50 ms");
        parts.forEach((name, samples) -> {
            if (!samples.isEmpty()) {
                table.row(name, samples.count(), partTrips.get(name).max(),
                        ConnectCosts.oneDecimal(samples.percentile(50) / 1e6),
                        ConnectCosts.oneDecimal(samples.max() / 1e6),
                        ConnectCosts.oneDecimal(partServerMicros.get(name).percentile(50) / 1e3));
            }
        });
        return table.render();
    }
}
