package io.relaymesh.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.bench.state.ConnectCosts;
import io.relaymesh.bench.state.RedisStack;
import io.relaymesh.bench.state.RefreshTicks;
import io.relaymesh.bench.support.Args;
import io.relaymesh.bench.support.Deadline;
import io.relaymesh.bench.support.Logs;
import io.relaymesh.bench.support.Machine;
import io.relaymesh.bench.support.Progress;
import io.relaymesh.bench.support.Project;
import io.relaymesh.bench.support.ResultFile;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Redis cost of the connection lifecycle (issue 3's closing numbers), on a real {@code redis-server}
 * from the testkit and the real use cases wired to the Redis adapters: round trips per connect
 * (token cache miss and hit), select_chat and disconnect; then the periodic refresh with many
 * sessions: round trips and duration per tick. Targets: at most 3 round trips per connect; one
 * pipeline per port and under 50 ms per 10,000-connection tick.
 *
 * <p>Usage: {@code RedisStateBench [--connects=1000] [--sessions=10000] [--ticks=30] ...}
 * ({@code --help} lists every option). Writes {@code bench/results/redis-state-<timestamp>.json}
 * and prints Markdown tables.
 */
public final class RedisStateBench {
    private static final double TICK_TARGET_MILLIS = 50;
    private static final int CONNECT_TARGET_ROUND_TRIPS = 3;
    /** Ports a tick refreshes (session locks, route registry): one pipeline each. */
    private static final int PORTS_PER_TICK = 2;

    private RedisStateBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        int connects = args.intValue("connects", 1_000, 1, 100_000, "connect cycles measured (each 3 connects)");
        int warmup = args.intValue("warmup", 200, 1, 100_000, "connect cycles run first, not measured");
        int sessions = args.intValue("sessions", 10_000, 1, 100_000, "sessions open during the refresh ticks");
        int ticks = args.intValue("ticks", 30, 1, 10_000, "refresh ticks measured per scenario");
        int warmupTicks = args.intValue("warmup-ticks", 3, 0, 1_000, "ticks run first per scenario, not measured");
        int pause = args.intValue("tick-pause-ms", 100, 0, 60_000, "pause between ticks");
        int threads = args.intValue("threads", 16, 1, 256, "threads opening and closing sessions");
        int maxSeconds = args.intValue("max-seconds", 240, 10, 3_600, "time limit of the whole run");
        args.finish("RedisStateBench");

        ResultFile file = ResultFile.forRun("redis-state");
        Logs.toFile(file.log());
        Progress progress = new Progress("redis-state");
        Deadline deadline = Deadline.after(Duration.ofSeconds(maxSeconds));
        ObjectNode result = ResultFile.JSON.createObjectNode().put("benchmark", "RedisStateBench");
        Machine.describe(result.putObject("machine"));
        Project.describe(result.putObject("project"), io.relaymesh.application.connection.Gateway.class,
                io.relaymesh.adapters.redis.RedisConnections.class, io.relaymesh.bootstrap.wiring.CoreModule.class,
                io.relaymesh.adapters.crypto.AesGcmTokenCodec.class, io.relaymesh.domain.model.SessionKey.class);
        result.putObject("options").put("connects", connects).put("warmup", warmup).put("sessions", sessions)
                .put("ticks", ticks).put("warmup_ticks", warmupTicks).put("tick_pause_ms", pause)
                .put("threads", threads).put("max_seconds", maxSeconds);

        RedisServer redis = RealServices.newRedis();
        progress.line("redis-server up at %s; logs in %s", redis.address(), file.log());
        ConnectCosts costs;
        RefreshTicks refresh;
        try (RedisStack stack = new RedisStack(redis.address(), "bench-pod")) {
            result.putObject("settings").put("session_ttl_s", stack.settings().sessionTtl().toSeconds())
                    .put("route_ttl_s", stack.settings().routeTtl().toSeconds())
                    .put("initial_route_ttl_s", stack.settings().initialRouteTtl().toSeconds())
                    .put("token_cache_ttl_s", stack.settings().tokenCacheTtl().toSeconds())
                    .put("refresh_interval_s", stack.settings().refreshInterval().toSeconds());
            progress.line("phase 1: round trips per operation, %d warm-up + %d cycles", warmup, connects);
            costs = ConnectCosts.measure(stack, warmup, connects, deadline, progress);
            progress.line("phase 2: refresh ticks with %d sessions", sessions);
            refresh = RefreshTicks.measure(stack, redis.host(), redis.port(), sessions, ticks, warmupTicks, pause,
                    threads, deadline, progress);
        } finally {
            redis.close();
        }
        costs.toJson(result.putObject("connect_costs"));
        refresh.toJson(result.putObject("refresh"));
        Map<String, String> verdicts = verdicts(costs, refresh, sessions);
        ObjectNode targets = result.putObject("targets");
        verdicts.forEach(targets::put);
        result.put("truncated_by_time_limit", deadline.passed());
        ((ObjectNode) result.get("machine")).put("load_average_at_end", Machine.loadAverage());
        Path written = file.write(result);
        progress.line("results written to %s", written);

        System.out.println();
        System.out.println("### Redis round trips per operation (" + costs.cycles() + " cycles)");
        System.out.println();
        System.out.print(costs.table());
        System.out.println();
        System.out.println("First cycle on a fresh Redis (scripts not yet cached), round trips: " + costs.cold());
        System.out.println();
        System.out.println("### Refresh tick with " + refresh.opened() + " sessions");
        System.out.println();
        System.out.print(refresh.table());
        System.out.println();
        System.out.print(refresh.partsTable());
        System.out.println();
        System.out.println("### Targets (issue 3)");
        System.out.println();
        verdicts.forEach((target, verdict) -> System.out.println("- " + target + ": " + verdict));
    }

    private static Map<String, String> verdicts(ConnectCosts costs, RefreshTicks refresh, int sessions) {
        double miss = costs.meanRoundTrips(ConnectCosts.CONNECT_MISS);
        double hit = costs.meanRoundTrips(ConnectCosts.CONNECT_HIT);
        long ticksMax = refresh.maxRoundTripsPerTick();
        double p95 = refresh.worstP95Millis();
        double max = refresh.worstMaxMillis();
        String scale = refresh.opened() == sessions ? "" : " (only " + refresh.opened() + " sessions opened)";
        Map<String, String> verdicts = new LinkedHashMap<>();
        double missLater = costs.meanBackgroundRoundTrips(ConnectCosts.CONNECT_MISS);
        verdicts.put("connect <= " + CONNECT_TARGET_ROUND_TRIPS + " round trips, token cache hit",
                verdict(hit <= CONNECT_TARGET_ROUND_TRIPS, String.format(Locale.ROOT, "%.2f round trips", hit)));
        verdicts.put("connect <= " + CONNECT_TARGET_ROUND_TRIPS + " round trips on the connect path, token cache miss",
                verdict(miss <= CONNECT_TARGET_ROUND_TRIPS, String.format(Locale.ROOT,
                        "%.2f round trips, plus %.2f off the connect path (token cache write)", miss, missLater)));
        verdicts.put("one pipeline per port per tick (" + PORTS_PER_TICK + " ports)",
                verdict(ticksMax <= PORTS_PER_TICK, "at most " + ticksMax + " round trips per tick"));
        verdicts.put("tick < " + (int) TICK_TARGET_MILLIS + " ms with " + sessions + " connections" + scale,
                verdict(p95 < TICK_TARGET_MILLIS, String.format(Locale.ROOT, "worst p95 %.1f ms, worst max %.1f ms%s", p95,
                        max, max < TICK_TARGET_MILLIS ? "" : " (the max is over the target)")));
        return verdicts;
    }

    private static String verdict(boolean met, String measured) {
        return (met ? "MET" : "NOT MET") + " (" + measured + ")";
    }
}
