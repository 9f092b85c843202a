package io.relaymesh.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.bench.load.BackingServers;
import io.relaymesh.bench.load.ChurnScenario;
import io.relaymesh.bench.load.FanoutScenario;
import io.relaymesh.bench.load.GatewayPod;
import io.relaymesh.bench.load.IdleScenario;
import io.relaymesh.bench.load.PhaseResult;
import io.relaymesh.bench.load.Report;
import io.relaymesh.bench.load.RunContext;
import io.relaymesh.bench.support.Args;
import io.relaymesh.bench.support.ChildProcesses;
import io.relaymesh.bench.support.Machine;
import io.relaymesh.bench.support.Progress;
import io.relaymesh.bench.support.ResultFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load benchmark of issue 7: real gateway pods (the built jar, separate processes) on a
 * redis-server and nats-server -js of their own, Node.js WebSocket clients and publishers, and the
 * same delivery scenarios against Socket.IO 4 with @socket.io/redis-adapter in the same run.
 * Scenarios: idle (memory per connection), chat and broadcast (fanout on one server), crosspod (two
 * servers), churn (connects and disconnects with locks and routes in Redis). See bench/README.md.
 *
 * <p>Usage: {@code LoadBench --root=<repository> [--scenarios=idle,chat,...] [--systems=...] ...}
 * ({@code --help}). Writes {@code bench/results/load-<timestamp>.json} and {@code .md}.
 */
public final class LoadBench {
    private static final Set<String> SCENARIOS = Set.of("idle", "chat", "broadcast", "crosspod", "churn");

    private LoadBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Path root = Path.of(args.string("root", ".", "the repository (bench/node, config/, the jar)")).toAbsolutePath();
        String name = args.string("name", "load", "result file name prefix");
        List<String> scenarios = Arrays.asList(args.string("scenarios", "idle,chat,broadcast,crosspod,churn",
                "scenarios to run, in this order").split(","));
        List<String> systems = Arrays.asList(args.string("systems", "relaymesh,socketio",
                "systems for chat, broadcast and crosspod").split(","));
        int connections = args.intValue("connections", 5_000, 1, 19_900, "idle: connections on the pod");
        int settle = args.intValue("settle-seconds", 10, 0, 600, "idle: wait after connecting, before measuring");
        int chatClients = args.intValue("chat-clients", 1_000, 1, 50_000, "chat: clients");
        int chatAgents = args.intValue("chat-agents", 100, 1, 10_000, "chat: agents (rooms) the clients spread over");
        int chatRate = args.intValue("chat-rate", 1_000, 1, 100_000, "chat: events published per second");
        int chatSeconds = args.intValue("chat-seconds", 10, 1, 3_600, "chat and crosspod: seconds measured");
        int broadcastClients = args.intValue("broadcast-clients", 1_000, 1, 50_000, "broadcast: clients on one agent");
        List<Integer> broadcastRates = args.intList("broadcast-rates", "20,50,80,120,160,200", 1, 100_000,
                "broadcast: events/s of each step");
        int stepSeconds = args.intValue("step-seconds", 5, 1, 3_600, "broadcast: seconds per step");
        int p99Limit = args.intValue("p99-limit-ms", 100, 1, 60_000, "broadcast: stop stepping once p99 passes this");
        int crosspodClients = args.intValue("crosspod-clients", 1_000, 2, 50_000, "crosspod: clients over both servers");
        int crosspodAgents = args.intValue("crosspod-agents", 100, 1, 10_000, "crosspod: agents");
        int crosspodRate = args.intValue("crosspod-rate", 1_000, 1, 100_000, "crosspod: events/s");
        int fanoutServers = args.intValue("fanout-servers", 1, 1, 4, "chat and broadcast: servers (pods / nodes)");
        int clientProcesses = args.intValue("client-processes", 1, 1, 8, "chat, broadcast, crosspod: client processes");
        int churnPods = args.intValue("churn-pods", 1, 1, 4, "churn: pods");
        int churnWorkers = args.intValue("churn-workers", 50, 1, 2_000, "churn: concurrent connect/disconnect loops");
        int churnSeconds = args.intValue("churn-seconds", 10, 1, 3_600, "churn: seconds measured");
        int payloadBytes = args.intValue("payload-bytes", 256, 100, 65_536, "JSON payload size of each event");
        int warmup = args.intValue("warmup-seconds", 3, 0, 600, "warm-up at the first rate before measuring");
        int connectRate = args.intValue("connect-rate", 1_000, 1, 100_000, "client connects per second (all processes)");
        int coldSeconds = args.intValue("cold-seconds", 0, 0, 600, "chat, broadcast, crosspod: the cold window on "
                + "fresh servers, before the warm-up (0: none)");
        int coldSliceMs = args.intValue("cold-slice-ms", 500, 0, 60_000, "the cold window's latency by this much send "
                + "time (0: not split)");
        boolean stopAtLimit = args.flag("stop-at-limit", true, "broadcast: stop stepping after the first step over "
                + "the p99 or missing limit");
        boolean jfr = args.flag("jfr", false, "Relaymesh: run each measured step again with pod-a under JFR, and "
                + "the cold window on fresh pods with pod-a recorded from its start; summarise each recording");
        String summary = args.string("summary", "", "an extra summary table: issue12 (the numbers of issue 12's "
                + "closing note)");
        String jar = args.string("jar", "bootstrap/target/relaymesh.jar", "the gateway jar (relative to --root)");
        String jvmOptions = args.string("pod-jvm-options", GatewayPod.imageJvmOptions(root),
                "JVM options of the pods (default: those of deploy/Dockerfile's ENTRYPOINT)");
        args.finish("LoadBench");
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) {
                throw new IllegalArgumentException("unknown scenario " + s + "; known: " + SCENARIOS);
            }
        }
        if (!summary.isEmpty() && !summary.equals("issue12")) {
            throw new IllegalArgumentException("--summary knows only issue12, got: " + summary);
        }

        ResultFile file = ResultFile.forRun(name);
        Path base = Path.of(file.log().toString().replaceAll("\\.log$", ""));
        Path work = Files.createTempDirectory("relaymesh-load-");
        Progress progress = new Progress(name);
        ObjectNode result = ResultFile.JSON.createObjectNode().put("benchmark", "LoadBench");
        ObjectNode machine = result.putObject("machine");
        Machine.describe(machine);
        machine.put("node", command("node", "--version"));
        machine.put("ulimit_n_harness", io.relaymesh.bench.support.ProcStats.openFileLimit(ProcessHandle.current().pid()));
        Path jarPath = root.resolve(jar);
        ObjectNode project = result.putObject("project");
        project.put("git_head", command("git", "-C", root.toString(), "rev-parse", "--short", "HEAD"));
        project.put("git_dirty", !command("git", "-C", root.toString(), "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench")
                .isBlank());
        project.put("jar", jarPath + " " + Files.getLastModifiedTime(jarPath) + " sha256:" + sha256(jarPath));
        project.put("pod_jvm_options", jvmOptions);
        project.put("pod_java", Path.of(System.getProperty("java.home")).resolve("bin/java").toString());
        project.set("node_packages", nodePackages(root.resolve("bench/node")));
        ObjectNode options = result.putObject("options");
        for (int i = 0; i < argv.length; i++) {
            options.put("arg" + i, argv[i]);
        }
        options.put("scenarios", String.join(",", scenarios)).put("systems", String.join(",", systems))
                .put("connections", connections).put("settle_seconds", settle).put("chat_clients", chatClients)
                .put("chat_agents", chatAgents).put("chat_rate", chatRate).put("chat_seconds", chatSeconds)
                .put("broadcast_clients", broadcastClients).put("broadcast_rates", broadcastRates.toString())
                .put("step_seconds", stepSeconds).put("p99_limit_ms", p99Limit).put("crosspod_clients", crosspodClients)
                .put("crosspod_agents", crosspodAgents).put("crosspod_rate", crosspodRate)
                .put("fanout_servers", fanoutServers).put("client_processes", clientProcesses)
                .put("churn_pods", churnPods).put("churn_workers", churnWorkers).put("churn_seconds", churnSeconds)
                .put("payload_bytes", payloadBytes).put("warmup_seconds", warmup).put("connect_rate", connectRate)
                .put("jfr", jfr).put("cold_seconds", coldSeconds).put("cold_slice_ms", coldSliceMs)
                .put("stop_at_limit", stopAtLimit).put("summary", summary);
        progress.line("machine: %s cores, %s, load average %s; results to %s.json", machine.path("cpus").asText(),
                machine.path("cpu_model").asText(), machine.path("load_average_at_start").asText(), base);

        StringBuilder markdown = new StringBuilder();
        List<PhaseResult> delivery = new ArrayList<>();
        List<FanoutScenario.Outcome> outcomes = new ArrayList<>();
        IdleScenario.Result idle = null;
        ChurnScenario.Result churn = null;
        Path jfrBase = jfr ? base : null;
        ObjectNode scenarioJson = result.putObject("scenarios");
        try (ChildProcesses children = new ChildProcesses()) {
            BackingServers servers = BackingServers.start(children, work);
            progress.line("redis-server at %s, nats-server at %s (folder %s)", servers.redisAddress(), servers.natsUrl(),
                    work);
            GatewayPod.Setup setup = new GatewayPod.Setup(jarPath, root.resolve("config/config.yaml"),
                    Path.of(System.getProperty("java.home")), List.of(jvmOptions.trim().split("\\s+")), servers,
                    GatewayPod.Keys.random(), work, java.util.Map.of());
            RunContext context = new RunContext(children, servers, setup, root.resolve("bench/node"),
                    Path.of(base + "-node.log"), progress, Long.toString(System.currentTimeMillis(), 36),
                    payloadBytes, warmup, connectRate, new AtomicInteger());
            for (String scenario : scenarios) {
                switch (scenario) {
                    case "idle" -> idle = IdleScenario.run(context, connections, settle, scenarioJson.putObject("idle"));
                    case "churn" -> churn = ChurnScenario.run(context, churnPods, churnWorkers, churnSeconds,
                            scenarioJson.putObject("churn"));
                    default -> {
                        ObjectNode node = scenarioJson.putObject(scenario);
                        for (String system : systems) {
                            FanoutScenario.Options o = switch (scenario) {
                                case "chat" -> new FanoutScenario.Options("chat", fanoutServers, chatClients, chatAgents,
                                        List.of(chatRate), chatSeconds, p99Limit, clientProcesses, false, coldSeconds,
                                        coldSliceMs, stopAtLimit, jfrBase);
                                case "broadcast" -> new FanoutScenario.Options("broadcast", fanoutServers,
                                        broadcastClients, 1, broadcastRates, stepSeconds, p99Limit, clientProcesses, false,
                                        coldSeconds, coldSliceMs, stopAtLimit, jfrBase);
                                default -> new FanoutScenario.Options("crosspod", 2, crosspodClients, crosspodAgents,
                                        List.of(crosspodRate), chatSeconds, p99Limit, clientProcesses, true, coldSeconds,
                                        coldSliceMs, stopAtLimit, jfrBase);
                            };
                            ObjectNode sys = node.putObject(system);
                            FanoutScenario.Outcome outcome = FanoutScenario.run(context, system, o, sys);
                            com.fasterxml.jackson.databind.node.ArrayNode steps = sys.putArray("steps");
                            outcome.steps().forEach(p -> p.toJson(steps.addObject()));
                            delivery.addAll(outcome.steps());
                            outcomes.add(outcome);
                        }
                    }
                }
            }
            progress.line("stopping every process");
        } finally {
            machine.put("load_average_at_end", Machine.loadAverage());
            deleteQuietly(work);
        }

        markdown.append("## Load benchmark (").append(name).append(")\n\n");
        markdown.append(String.format(Locale.ROOT, "Machine: %s cores (%s), %s memory, %s, node %s, %s, %s. "
                        + "Load average at start %s, at end %s. Gateway: %s (%s), pods run with `%s`.%n%n",
                machine.path("cpus").asText(), machine.path("cpu_model").asText(), machine.path("mem_total").asText(),
                machine.path("jdk").asText(), machine.path("node").asText(), machine.path("redis_server").asText(),
                machine.path("nats_server").asText(), machine.path("load_average_at_start").asText(),
                machine.path("load_average_at_end").asText(), project.path("git_head").asText(),
                project.path("git_dirty").asBoolean() ? "uncommitted changes" : "clean", jvmOptions));
        markdown.append(String.format(Locale.ROOT, "Payload %d bytes of JSON per event; cold window %d s, warm-up %d s "
                + "per scenario (each reported apart from the measured steps); latency = client receive time − "
                + "publisher's stamp (CLOCK_MONOTONIC, same machine).%n%n", payloadBytes, coldSeconds, warmup));
        if (summary.equals("issue12")) {
            markdown.append("### Issue 12: the numbers of the closing note\n\n")
                    .append(Report.issue12(outcomes, idle, p99Limit)).append('\n');
        }
        if (idle != null) {
            markdown.append("### idle: memory per connection (one pod)\n\n").append(Report.idle(idle)).append('\n')
                    .append("### Model: 100,000 connections on one pod\n\n").append(Report.model(idle, 100_000))
                    .append('\n');
            if (!idle.heapByClass().isEmpty()) {
                markdown.append("### idle: what the heap per connection is made of (GC.class_histogram, after − "
                        + "baseline, per connection)\n\n").append(Report.heapByClass(idle, 15)).append('\n');
            }
        }
        if (!delivery.isEmpty()) {
            markdown.append("### Delivery: chat, broadcast, crosspod\n\n").append(Report.delivery(delivery)).append('\n');
            markdown.append("### Relaymesh / Socket.IO\n\n").append(Report.ratios(delivery)).append('\n');
            if (delivery.stream().anyMatch(p -> p.scenario().equals("broadcast"))) {
                markdown.append("### broadcast: the rate each system sustains\n\n")
                        .append(Report.broadcastCeiling(delivery, p99Limit)).append('\n');
            }
            if (delivery.stream().anyMatch(p -> p.scenario().equals("crosspod"))) {
                markdown.append("### crosspod: end-to-end and forwarding latency\n\n").append(Report.crosspod(delivery))
                        .append('\n');
            }
        }
        if (outcomes.stream().anyMatch(o -> o.cold() != null || o.warmup() != null)) {
            markdown.append("### Cold window and warm-up, apart from the measured steps\n\n")
                    .append(Report.coldAndWarmup(outcomes)).append('\n');
            for (String scenario : outcomes.stream().map(FanoutScenario.Outcome::scenario).distinct().toList()) {
                String slices = Report.coldSlices(scenario, outcomes);
                if (!slices.isEmpty()) {
                    markdown.append("#### ").append(scenario).append(": the cold window by send time\n\n")
                            .append(slices).append('\n');
                }
            }
        }
        if (!outcomes.isEmpty()) {
            markdown.append("### Server CPU by thread (both servers together, /proc/<pid>/task)\n\n")
                    .append(Report.threadCpu(outcomes, 8)).append('\n');
        }
        if (outcomes.stream().anyMatch(o -> !o.profiles().isEmpty())) {
            markdown.append("### Profiles of pod-a (JFR; each step run again under the recorder, not a result)\n\n")
                    .append(Report.delivery(outcomes.stream().flatMap(o -> o.profiled().stream()).toList()))
                    .append('\n').append(Report.profiles(outcomes, 12));
        }
        if (churn != null) {
            markdown.append("### churn: connects and disconnects (Relaymesh, cluster mode)\n\n")
                    .append(Report.churn(churn, churnPods, churnWorkers)).append('\n');
        }
        if (summary.equals("issue12")) {
            result.set("issue12", Report.issue12Json(outcomes, idle));
        }
        Path json = file.write(result);
        Files.writeString(Path.of(base + ".md"), markdown.toString());
        progress.line("results written to %s and %s.md", json, base);
        System.out.println();
        System.out.print(markdown);
    }

    private static JsonNode nodePackages(Path nodeDir) {
        ObjectNode out = ResultFile.JSON.createObjectNode();
        try {
            JsonNode lock = ResultFile.JSON.readTree(nodeDir.resolve("package-lock.json").toFile());
            lock.path("packages").fields().forEachRemaining(f -> {
                String key = f.getKey();
                if (key.startsWith("node_modules/") && !key.substring(13).contains("node_modules/")) {
                    String pkg = key.substring(13);
                    if (Set.of("ws", "socket.io", "socket.io-client", "@socket.io/redis-adapter",
                            "@socket.io/redis-emitter", "redis", "nats").contains(pkg)) {
                        out.put(pkg, f.getValue().path("version").asText());
                    }
                }
            });
        } catch (IOException e) {
            out.put("error", e.getMessage());
        }
        return out;
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)))
                    .substring(0, 12);
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** Output of a short command (killed after 120 s), or "unknown (…)". */
    private static String command(String... command) {
        Process process = null;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor(120, TimeUnit.SECONDS) ? out : "unknown (timeout)";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // A leftover temporary folder is harmless.
        }
    }
}
