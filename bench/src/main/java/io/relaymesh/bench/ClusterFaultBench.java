package io.relaymesh.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.bench.cluster.Cluster;
import io.relaymesh.bench.cluster.Pod;
import io.relaymesh.bench.cluster.PodCounters;
import io.relaymesh.bench.cluster.Scenario;
import io.relaymesh.bench.cluster.ScenarioOptions;
import io.relaymesh.bench.cluster.ScenarioResult;
import io.relaymesh.bench.support.Args;
import io.relaymesh.bench.support.Logs;
import io.relaymesh.bench.support.Machine;
import io.relaymesh.bench.support.Progress;
import io.relaymesh.bench.support.Project;
import io.relaymesh.bench.support.ResultFile;
import io.relaymesh.bench.support.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Cross-pod delivery under a fault (issue 4: "count duplicates under faults and keep them rare"):
 * N pods in cluster mode in this JVM on a real redis-server and nats-server, K WebSocket clients
 * (one agent, round-robin over the pods), E events published at a fixed rate through POST
 * /api/v1/publish on the first pod. Two measured scenarios side by side, each with fresh clients on
 * an agent of its own: a baseline without fault, then the same with the last pod's gRPC server
 * stopped for a while mid-run and started again on the same port. A warm-up scenario runs first on
 * the cold pods; it is shown too (a cold pod drops frames), but its latency is not a baseline. Per scenario: frames received, distinct events, duplicates, missing
 * after the drain, duplicate rate, end-to-end latency, and the pods' own stream counters.
 *
 * <p>Usage: {@code ClusterFaultBench [--events=2000] [--rate=200] [--clients=30] ...} ({@code --help}).
 */
public final class ClusterFaultBench {
    /** The first scenario, on cold pods (JIT): shown, but not a baseline for latency. */
    static final String WARMUP = "warmup-cold";
    private ClusterFaultBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        int pods = args.intValue("pods", 3, 2, 6, "pods in the cluster (the last one gets the fault)");
        int clients = args.intValue("clients", 30, 1, 3_000, "WebSocket clients per scenario, round-robin over pods");
        int events = args.intValue("events", 2_000, 1, 200_000, "events published per scenario");
        int rate = args.intValue("rate", 200, 1, 10_000, "events published per second");
        int warmupEvents = args.intValue("warmup-events", 4_000, 0, 100_000, "events of the warm-up on cold pods");
        int faultAt = args.intValue("fault-at-ms", 3_000, 0, 600_000, "outage start, after the first publish");
        int faultFor = args.intValue("fault-ms", 3_000, 1, 600_000, "how long the gRPC server stays down");
        int drain = args.intValue("drain-seconds", 30, 1, 600, "wait for missing events after the last publish");
        int quiet = args.intValue("quiet-ms", 3_000, 0, 60_000, "then wait this long without frames (late duplicates)");
        args.finish("ClusterFaultBench");

        ResultFile file = ResultFile.forRun("cluster-fault");
        Logs.toFile(file.log());
        Progress progress = new Progress("cluster-fault");
        ObjectNode result = ResultFile.JSON.createObjectNode().put("benchmark", "ClusterFaultBench");
        Machine.describe(result.putObject("machine"));
        Project.describe(result.putObject("project"), io.relaymesh.application.delivery.ClusterDelivery.class,
                io.relaymesh.bootstrap.Relaymesh.class, io.relaymesh.adapters.grpc.GrpcDeliveryServer.class,
                io.relaymesh.adapters.redis.RedisConnections.class, io.relaymesh.domain.model.RouteKey.class);
        result.putObject("options").put("pods", pods).put("clients", clients).put("events", events).put("rate", rate)
                .put("warmup_events", warmupEvents).put("fault_at_ms", faultAt).put("fault_ms", faultFor)
                .put("drain_seconds", drain).put("quiet_ms", quiet);

        List<ScenarioResult> results = new ArrayList<>();
        try (Cluster cluster = Cluster.start(pods, progress)) {
            progress.line("pods log to %s", file.log());
            if (warmupEvents > 0) {
                // Frames a cold pod drops never arrive: a shorter drain is enough.
                ScenarioResult warm = Scenario.run(cluster, new ScenarioOptions(WARMUP, "warm", clients, warmupEvents,
                        rate, -1, 0, 0, Math.min(drain, 10), Math.min(quiet, 1_000)), progress);
                progress.line("warm-up done: %d frames, %d missing, %d duplicates, %d frames dropped by the pods",
                        warm.total().frames(), warm.total().missing(), warm.total().duplicates(),
                        warm.sumCounter(PodCounters.DROPPED));
                results.add(warm);
            }
            results.add(Scenario.run(cluster, new ScenarioOptions("baseline", "base", clients, events, rate, -1, 0, 0,
                    drain, quiet), progress));
            results.add(Scenario.run(cluster, new ScenarioOptions("grpc-outage", "fault", clients, events, rate,
                    pods - 1, faultAt, faultFor, drain, quiet), progress));
            for (Pod pod : cluster.pods()) {
                if (pod.listenerDeaths() > 0) {
                    progress.line("PROBLEM: %s reported its listener dead %d time(s)", pod.id(), pod.listenerDeaths());
                }
            }
            progress.line("stopping the cluster");
        }
        ObjectNode scenarios = result.putObject("scenarios");
        for (ScenarioResult r : results) {
            r.toJson(scenarios.putObject(r.options().name()));
        }
        ((ObjectNode) result.get("machine")).put("load_average_at_end", Machine.loadAverage());
        Path written = file.write(result);
        progress.line("results written to %s", written);

        System.out.println();
        System.out.printf(Locale.ROOT, "### Delivery with and without a fault (%d pods, %d clients per scenario on one"
                + " agent, %d events per measured scenario at %d/s)%n%n", pods, clients, events, rate);
        System.out.print(sideBySide(results));
        System.out.println();
        for (ScenarioResult r : results) {
            System.out.println("#### " + r.options().name() + ": by the pod the clients were on (fault: "
                    + r.faultDescription() + ")");
            System.out.println();
            System.out.print(byPod(r));
            System.out.println();
            r.notes().stream().limit(10).forEach(note -> System.out.println("- note: " + note));
        }
    }

    private static String sideBySide(List<ScenarioResult> results) {
        List<String> headers = new ArrayList<>(List.of("metric"));
        results.forEach(r -> headers.add(r.options().name()));
        Table table = new Table(headers.toArray(String[]::new));
        row(table, results, "fault", ScenarioResult::faultDescription);
        row(table, results, "events published (HTTP 200 / attempted)",
                r -> r.published().accepted() + " / " + r.published().attempted());
        row(table, results, "publish rate achieved",
                r -> String.format(Locale.ROOT, "%.0f/s", r.published().achievedRate()));
        row(table, results, "expected frames (events x clients)",
                r -> Long.toString((long) r.published().attempted() * r.options().clients()));
        row(table, results, "frames received", r -> Long.toString(r.total().frames()));
        row(table, results, "distinct (client, event) received", r -> Long.toString(r.total().distinct()));
        row(table, results, "duplicates", r -> Long.toString(r.total().duplicates()));
        row(table, results, "missing after drain", r -> Long.toString(r.total().missing()));
        row(table, results, "events with a duplicate at some client", r -> Integer.toString(r.eventsDuplicated()));
        row(table, results, "duplicate rate (duplicates / frames)",
                r -> String.format(Locale.ROOT, "%.4f%%", 100 * r.total().duplicateRate()));
        row(table, results, "latency p50 ms", r -> ms(r.total(), 50));
        row(table, results, "latency p95 ms", r -> ms(r.total(), 95));
        row(table, results, "latency p99 ms", r -> ms(r.total(), 99));
        row(table, results, "latency max ms", r -> r.total().latencyMicros().isEmpty() ? "-"
                : String.format(Locale.ROOT, "%.1f", r.total().latencyMicros().max() / 1e3));
        row(table, results, "publish HTTP answer p50 / p99 ms", r -> r.published().httpMicros().isEmpty() ? "-"
                : String.format(Locale.ROOT, "%.1f / %.1f", r.published().httpMicros().percentile(50) / 1e3,
                r.published().httpMicros().percentile(99) / 1e3));
        row(table, results, "all received (ms after last publish)",
                r -> r.completeAfterMillis() < 0 ? "never (drain over)" : Long.toString(r.completeAfterMillis()));
        row(table, results, "JetStream deliveries consumed (all pods)",
                r -> Long.toString(r.sumCounter(PodCounters.CONSUMED)));
        row(table, results, "acked / nak'ed",
                r -> r.sumCounter(PodCounters.ACKED) + " / " + r.sumCounter(PodCounters.NAKED));
        row(table, results, "gRPC forward retries / failures",
                r -> r.sumCounter(PodCounters.FORWARD_RETRIES) + " / " + r.sumCounter(PodCounters.FORWARD_FAILURES));
        row(table, results, "frames dropped by the pods (send queue full / closed)",
                r -> Long.toString(r.sumCounter(PodCounters.DROPPED)));
        row(table, results, "clients closed by the server", r -> Integer.toString(r.total().closedClients()));
        return table.render();
    }

    private static String byPod(ScenarioResult r) {
        Table table = new Table("clients on", "clients", "frames", "duplicates", "missing", "p50 ms", "p99 ms", "max ms",
                "pod consumed", "pod acked / nak'ed", "pod forwarded", "pod fwd retries / failures", "pod dropped");
        r.byPod().forEach((pod, counts) -> {
            PodCounters c = r.podCounters().get(pod);
            table.row(pod, counts.clients(), counts.frames(), counts.duplicates(), counts.missing(), ms(counts, 50),
                    ms(counts, 99), counts.latencyMicros().isEmpty() ? "-"
                            : String.format(Locale.ROOT, "%.1f", counts.latencyMicros().max() / 1e3),
                    c.get(PodCounters.CONSUMED), c.get(PodCounters.ACKED) + " / " + c.get(PodCounters.NAKED),
                    c.get(PodCounters.FORWARDED),
                    c.get(PodCounters.FORWARD_RETRIES) + " / " + c.get(PodCounters.FORWARD_FAILURES),
                    c.get(PodCounters.DROPPED));
        });
        return table.render();
    }

    private static String ms(ScenarioResult.Counts counts, double percentile) {
        return counts.latencyMicros().isEmpty() ? "-"
                : String.format(Locale.ROOT, "%.1f", counts.latencyMicros().percentile(percentile) / 1e3);
    }

    private static void row(Table table, List<ScenarioResult> results, String metric,
                            Function<ScenarioResult, String> cell) {
        Object[] cells = new Object[results.size() + 1];
        cells[0] = metric;
        for (int i = 0; i < results.size(); i++) {
            cells[i + 1] = cell.apply(results.get(i));
        }
        table.row(cells);
    }
}
