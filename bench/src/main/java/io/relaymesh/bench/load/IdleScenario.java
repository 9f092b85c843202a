package io.relaymesh.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.bench.support.Deadline;
import io.relaymesh.bench.support.ProcStats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Idle connections on one pod: the pod's memory per connection. A fresh pod gets a few hundred
 * connections opened and closed (classes loaded, JIT warm), then a full GC and the baseline: VmRSS
 * and heap in use after GC. Then N clients connect (over several client processes, each under the
 * open-file limit, each from its own 127.0.0.x addresses) and stay idle; after the settle time a
 * full GC and the same two numbers again. Per connection = (after − baseline) / connected. The
 * machine's slab memory (kernel socket buffers, both ends of each loopback connection) is read too.
 * Then (after those numbers, since it runs a full GC of its own) the heap by class
 * ({@code jcmd GC.class_histogram}) against one taken at the baseline: what each connection's heap
 * is made of, by class.
 */
public final class IdleScenario {
    /** Connections per client process at most: well under the 20,000 open files of a process here. */
    static final int PER_PROCESS = 7_000;

    /** One class's share of the heap growth: instances and bytes per connection. */
    public record ClassShare(String name, double instancesPerConnection, double bytesPerConnection) {
    }

    public record Result(int requested, int connected, int failed, long baselineRssKb, long rssKb,
                         long baselineHeapKb, long heapKb, long slabDeltaKb, long cap, double openFiles,
                         long clientRssKb, String podFileLimit, List<ClassShare> heapByClass) {
        public double rssPerConnectionKb() {
            return connected == 0 ? Double.NaN : (double) (rssKb - baselineRssKb) / connected;
        }

        public double heapPerConnectionKb() {
            return connected == 0 ? Double.NaN : (double) (heapKb - baselineHeapKb) / connected;
        }

        public double slabPerConnectionKb() {
            return connected == 0 ? Double.NaN : (double) slabDeltaKb / connected;
        }
    }

    private IdleScenario() {
    }

    /** The 20 classes whose heap grew most between two class histograms, per connection. */
    static List<ClassShare> heapByClass(java.util.Map<String, long[]> before, java.util.Map<String, long[]> after,
                                        int connections) {
        if (connections <= 0) {
            return List.of();
        }
        List<ClassShare> shares = new ArrayList<>();
        after.forEach((name, a) -> {
            long[] b = before.getOrDefault(name, new long[2]);
            shares.add(new ClassShare(name, (double) (a[0] - b[0]) / connections, (double) (a[1] - b[1]) / connections));
        });
        shares.sort((x, y) -> Double.compare(y.bytesPerConnection(), x.bytesPerConnection()));
        return List.copyOf(shares.subList(0, Math.min(20, shares.size())));
    }

    public static Result run(RunContext context, int connections, int settleSeconds, ObjectNode json) {
        context.progress().line("idle: starting one pod");
        try (RelaymeshSystem system = RelaymeshSystem.start(1, context.podSetup(), context.children())) {
            GatewayPod pod = system.pods().getFirst();
            int processes = Math.max(1, (connections + PER_PROCESS - 1) / PER_PROCESS);
            try (ClientFleet fleet = context.clients("idle", processes)) {
                ObjectNode connect = system.connectCommand().put("company", "idle");
                // Warm-up: the connection code paths loaded and compiled before the baseline.
                List<String[]> warm = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    warm.add(new String[]{"0", "w" + (i % 10), "warm" + i});
                }
                fleet.connect(connect, warm, context.connectRate(), 200, Duration.ofSeconds(60));
                fleet.closeClients();
                Deadline.after(Duration.ofSeconds(3)).sleep(3_000);
                long heap0 = pod.gcAndHeapUsedKb();
                long rss0 = pod.rssKb();
                String nmt0 = pod.nativeMemory();
                long slab0 = ProcStats.slabKb();
                context.progress().line("idle: baseline after GC: RSS %,d kB, heap used %,d kB", rss0, heap0);
                java.util.Map<String, long[]> classes0 = pod.classHistogram();

                List<String[]> entries = new ArrayList<>();
                for (int i = 0; i < connections; i++) {
                    entries.add(new String[]{"0", "a" + (i % 100), "u" + i});
                }
                context.progress().line("idle: connecting %,d clients at %,d/s over %d client process(es)", connections,
                        context.connectRate(), processes);
                Thread ticker = Thread.ofVirtual().start(() -> {
                    Deadline end = Deadline.after(Duration.ofMinutes(10));
                    while (!end.passed()) {
                        try {
                            Thread.sleep(2_000);
                        } catch (InterruptedException e) {
                            return;
                        }
                        context.progress().line("idle: %,d connected (pod RSS %,d kB)", fleet.upSoFar(), pod.rssKb());
                    }
                });
                ClientFleet.Connected connected;
                try {
                    connected = fleet.connect(connect, entries, context.connectRate(), 500,
                            Duration.ofSeconds(Math.max(60, 3L * connections / context.connectRate() + 30)));
                } finally {
                    ticker.interrupt();
                }
                connected.toJson(json.putObject("connect"));
                context.progress().line("idle: %,d connected, %,d failed %s in %.1f s; settling %d s", connected.ok,
                        connected.failed, connected.errors, connected.seconds, settleSeconds);
                Deadline.after(Duration.ofSeconds(settleSeconds)).sleep(settleSeconds * 1000L);
                long heap = pod.gcAndHeapUsedKb();
                long rss = pod.rssKb();
                long slab = ProcStats.slabKb();
                String nmt = pod.nativeMemory();
                if (!nmt.isEmpty()) {
                    json.put("native_memory_baseline", nmt0).put("native_memory", nmt);
                }
                Prometheus metrics = pod.metrics();
                double active = metrics.sum("relaymesh_active_connections");
                List<ClassShare> byClass = heapByClass(classes0, pod.classHistogram(), connected.ok);
                Result result = new Result(connections, connected.ok, connected.failed, rss0, rss, heap0, heap,
                        slab - slab0, Math.round(metrics.sum("relaymesh_websocket_connections_max")),
                        metrics.sum("process_files_open_files"), fleet.rssKb(), ProcStats.openFileLimit(pod.pid()),
                        byClass);
                var classes = json.putArray("heap_by_class_per_connection");
                byClass.forEach(c -> classes.addObject().put("class", c.name())
                        .put("instances_per_connection", c.instancesPerConnection())
                        .put("bytes_per_connection", c.bytesPerConnection()));
                json.put("requested", connections).put("connected", connected.ok).put("failed", connected.failed)
                        .put("pod_active_connections", active).put("pod_connection_cap", result.cap())
                        .put("pod_open_files", result.openFiles()).put("pod_open_file_limit", result.podFileLimit())
                        .put("client_processes", processes).put("settle_seconds", settleSeconds)
                        .put("baseline_rss_kb", rss0).put("rss_kb", rss).put("baseline_heap_used_kb", heap0)
                        .put("heap_used_kb", heap).put("rss_per_connection_kb", result.rssPerConnectionKb())
                        .put("heap_per_connection_kb", result.heapPerConnectionKb())
                        .put("machine_slab_delta_kb", slab - slab0)
                        .put("machine_slab_per_connection_kb_both_ends", result.slabPerConnectionKb())
                        .put("client_rss_kb_total", result.clientRssKb())
                        .put("pod_heap_info", pod.jcmd("GC.heap_info").trim());
                context.progress().line("idle: %,d connections (pod reports %,.0f, cap %,d): RSS %,d -> %,d kB (%.1f kB each), "
                                + "heap %,d -> %,d kB (%.1f kB each)", connected.ok, active, result.cap(), rss0, rss,
                        result.rssPerConnectionKb(), heap0, heap, result.heapPerConnectionKb());
                if (connections > result.cap()) {
                    context.progress().line("NOTE: %,d connections asked, but the pod's cap is %,d (90 %% of its open-file "
                            + "limit %s less 256): the rest are refused with ServerFull", connections, result.cap(),
                            result.podFileLimit());
                }
                if (active + 5 < connected.ok || !pod.alive()) {
                    context.progress().line("PROBLEM: the pod holds %,.0f connections, the clients %,d", active, connected.ok);
                }
                int[] closed = fleet.closeClients();
                json.put("clients_closed_at_end", closed[0]).put("clients_terminated_at_end", closed[1]);
                return result;
            }
        }
    }
}
