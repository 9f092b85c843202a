package io.relaymesh.bench.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.bench.support.JfrSummary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The delivery scenarios, each run the same way against either system: clients on agents (rooms),
 * one publisher at a fixed rate, per-frame latency at the clients.
 * <ul>
 *   <li>chat: C clients over A agents on one server, R events/s round-robin over the agents;</li>
 *   <li>broadcast: C clients on one agent, rate steps (until p99 passes the limit, unless told to run all);</li>
 *   <li>crosspod: like chat on two servers, each agent's clients split over both.</li>
 * </ul>
 * Servers are started for the scenario and stopped after it. Phases, each reported apart: the cold
 * window (optional: the first seconds of events on the freshly started servers, published as soon as
 * the clients are up), the warm-up at the first rate, then the measured steps. With a recording base
 * (Relaymesh only), each measured step is then run once more with pod-a under JFR (a profiled step,
 * not a result: the recorder costs CPU), and, with a cold window, fresh pods are started with pod-a
 * recorded from its JVM's start, the clients connected again and the cold window repeated under
 * the recorder; each recording is summarised ({@link JfrSummary}).
 */
public final class FanoutScenario {
    /** A step whose missing frames pass this share also counts as saturated. */
    static final double MISSING_LIMIT = 0.01;

    /**
     * What to run. {@code rates} has one rate for chat and crosspod, the steps for broadcast.
     *
     * @param coldSeconds  the cold window (0: none)
     * @param sliceMs      the cold window's latency is also split by this much send time
     * @param stopAtLimit  stop stepping after the first step over the p99 or missing limit
     * @param jfrBase      where recordings go ({@code <jfrBase>-<what>.jfr}); null: no profiling
     */
    public record Options(String scenario, int servers, int clients, int agents, List<Integer> rates, int seconds,
                          double p99LimitMs, int clientProcesses, boolean splitAgents, int coldSeconds, int sliceMs,
                          boolean stopAtLimit, Path jfrBase) {
    }

    /** A flight recording of pod-a and its summary. */
    public record Profile(String system, String scenario, String what, Path file, ObjectNode summary) {
    }

    /**
     * Everything one system did in one scenario: the measured steps, the cold window and the warm-up
     * (each null when not run), the steps run again under the recorder, the recordings, and how long
     * after the last server reported ready the cold window's first event was published.
     */
    public record Outcome(String system, String scenario, List<PhaseResult> steps, PhaseResult cold, PhaseResult warmup,
                          double coldStartAfterReadySeconds, List<PhaseResult> profiled, List<Profile> profiles) {
    }

    private FanoutScenario() {
    }

    public static Outcome run(RunContext context, String systemName, Options o, ObjectNode json) {
        List<PhaseResult> results = new ArrayList<>();
        List<PhaseResult> profiled = new ArrayList<>();
        List<Profile> profiles = new ArrayList<>();
        PhaseResult cold = null;
        PhaseResult warm = null;
        double coldDelay = Double.NaN;
        context.progress().line("%s/%s: starting %d server(s)", o.scenario(), systemName, o.servers());
        try (SystemUnderTest system = context.start(systemName, o.servers());
             ClientFleet fleet = context.clients(o.scenario() + "-" + systemName, o.clientProcesses());
             Publisher publisher = context.publisher(system)) {
            Phases.Load load = connect(context, system, fleet, o, json.putObject("connect"));
            int connected = load.clientsByAgent().values().stream().mapToInt(Integer::intValue).sum();
            if (o.coldSeconds() > 0) {
                cold = coldWindow(context, system, fleet, publisher, o, load, connected, "cold");
                coldDelay = coldDelay(cold, system);
                cold.toJson(json.putObject("cold").put("first_publish_after_ready_seconds", coldDelay));
            }
            if (context.warmupSeconds() > 0) {
                warm = Phases.run(context, system, fleet, publisher, o.scenario(), "warm-up",
                        o.rates().getFirst(), context.warmupSeconds(), load, 10, connected);
                warm.toJson(json.putObject("warmup"));
            }
            for (int rate : o.rates()) {
                String step = rate + " ev/s";
                PhaseResult result = Phases.run(context, system, fleet, publisher, o.scenario(), step, rate,
                        o.seconds(), load, 15, connected);
                results.add(result);
                boolean slow = result.p(99) > o.p99LimitMs();
                boolean lossy = result.expected() > 0 && result.missing() > MISSING_LIMIT * result.expected();
                if (o.stopAtLimit() && o.rates().size() > 1 && (slow || lossy)) {
                    String why = slow ? String.format("p99 %.1f ms > %.0f ms", result.p(99), o.p99LimitMs())
                            : String.format("%.1f %% of the frames missing", 100.0 * result.missing() / result.expected());
                    json.put("stopped_after", step + ": " + why);
                    context.progress().line("%s/%s: stop stepping after %s (%s)", o.scenario(), systemName, step, why);
                    break;
                }
            }
            if (o.jfrBase() != null && system instanceof RelaymeshSystem relaymesh) {
                GatewayPod pod = relaymesh.pods().getFirst();
                for (PhaseResult measured : List.copyOf(results)) {
                    int rate = (int) measured.rate();
                    Path file = Path.of(o.jfrBase() + "-" + o.scenario() + "-" + rate + "evs.jfr");
                    context.progress().line("%s/%s: the %d ev/s step again with JFR on %s (%s)", o.scenario(),
                            systemName, rate, pod.id(), file);
                    pod.startRecording(file);
                    PhaseResult again = Phases.run(context, system, fleet, publisher, o.scenario(),
                            rate + " ev/s (JFR)", rate, o.seconds(), load, 15, connected);
                    pod.stopRecording();
                    profiled.add(again);
                    // Cut to the phase: the harness's own /metrics scrapes before and after it stay out.
                    profiles.add(profile(context, systemName, o.scenario(), rate + " ev/s", file, again.startedAt(),
                            again.endedAt()));
                }
            }
            int[] closed = fleet.closeClients();
            json.put("clients_closed_at_end", closed[0]).put("clients_terminated_at_end", closed[1]);
            json.put("client_rss_kb_per_process_at_end", fleet.rssKb() / Math.max(1, fleet.size()));
        }
        if (o.jfrBase() != null && o.coldSeconds() > 0 && systemName.equals("relaymesh")) {
            PhaseResult again = coldProfile(context, o, json, profiles);
            if (again != null) {
                profiled.add(again);
            }
        }
        ArrayNode again = json.putArray("profiled_steps");
        profiled.forEach(p -> p.toJson(again.addObject()));
        ArrayNode recordings = json.putArray("profiles");
        profiles.forEach(p -> recordings.addObject().put("what", p.what()).put("file", p.file().toString())
                .set("summary", p.summary()));
        return new Outcome(systemName, o.scenario(), results, cold, warm, coldDelay, profiled, profiles);
    }

    /** Connects the scenario's clients; the load they make (targets, clients per agent). */
    private static Phases.Load connect(RunContext context, SystemUnderTest system, ClientFleet fleet, Options o,
                                       ObjectNode json) {
        String company = o.scenario();
        List<String> agents = new ArrayList<>();
        for (int a = 0; a < o.agents(); a++) {
            agents.add(o.agents() == 1 ? "all" : "a" + a);
        }
        List<String[]> entries = new ArrayList<>();
        for (int i = 0; i < o.clients(); i++) {
            int agent = i % o.agents();
            int server = o.splitAgents() ? (i / o.agents()) % o.servers() : i % o.servers();
            entries.add(new String[]{Integer.toString(server), agents.get(agent), "u" + i});
        }
        ObjectNode connect = system.connectCommand().put("company", company);
        context.progress().line("%s/%s: connecting %,d clients (%d agents, %d server(s), %d client process(es))",
                o.scenario(), system.name(), o.clients(), o.agents(), o.servers(), o.clientProcesses());
        ClientFleet.Connected connected = fleet.connect(connect, entries, context.connectRate(), 200,
                Duration.ofSeconds(120));
        connected.toJson(json);
        context.progress().line("%s/%s: %,d connected, %,d failed %s in %.1f s (connect-to-ready p50 %.1f ms, p99 %.1f ms)",
                o.scenario(), system.name(), connected.ok, connected.failed, connected.errors, connected.seconds,
                connected.connectLatency.millis(50), connected.connectLatency.millis(99));
        Map<String, Integer> byAgent = new LinkedHashMap<>();
        agents.forEach(a -> byAgent.put(a, connected.byAgent.getOrDefault(a, 0)));
        List<String> targets = agents.stream().map(a -> system.target(company, a)).toList();
        return new Phases.Load(targets, agents, byAgent);
    }

    private static PhaseResult coldWindow(RunContext context, SystemUnderTest system, ClientFleet fleet,
                                          Publisher publisher, Options o, Phases.Load load, int connected, String step) {
        context.progress().line("%s/%s: cold window, %.1f s after the last server reported ready", o.scenario(),
                system.name(), (System.nanoTime() - system.readyNanos()) / 1e9);
        return Phases.run(context, system, fleet, publisher, o.scenario(), step, o.rates().getFirst(), o.coldSeconds(),
                load, 15, connected, o.sliceMs());
    }

    /** Seconds from the last server's ready to the cold window's first publish (one monotonic clock). */
    private static double coldDelay(PhaseResult cold, SystemUnderTest system) {
        return (cold.published().path("startNs").asDouble() - system.readyNanos()) / 1e9;
    }

    /**
     * Fresh pods with pod-a recorded from its JVM's start, the clients connected again, the cold window
     * again; the recording is cut to the cold window (first publish to the end of its drain).
     */
    private static PhaseResult coldProfile(RunContext context, Options o, ObjectNode json, List<Profile> profiles) {
        Path file = Path.of(o.jfrBase() + "-" + o.scenario() + "-cold.jfr");
        context.progress().line("%s/relaymesh: fresh pods, pod-a recorded from its start (%s), for the cold window",
                o.scenario(), file);
        PhaseResult cold;
        try (RelaymeshSystem system = RelaymeshSystem.start(o.servers(), context.podSetup(), context.children(),
                Map.of("pod-a", List.of(GatewayPod.recordFromStart("cold", file))));
             ClientFleet fleet = context.clients(o.scenario() + "-relaymesh-cold", o.clientProcesses());
             Publisher publisher = context.publisher(system)) {
            Phases.Load load = connect(context, system, fleet, o, json.putObject("connect_cold_profile"));
            int connected = load.clientsByAgent().values().stream().mapToInt(Integer::intValue).sum();
            cold = coldWindow(context, system, fleet, publisher, o, load, connected, "cold (JFR)");
            system.pods().getFirst().stopRecording("cold");
            json.put("cold_profiled_first_publish_after_ready_seconds", coldDelay(cold, system));
            fleet.closeClients();
        }
        if (Files.exists(file)) {
            profiles.add(profile(context, "relaymesh", o.scenario(), "cold", file, cold.startedAt(), cold.endedAt()));
        }
        return cold;
    }

    private static Profile profile(RunContext context, String system, String scenario, String what, Path file,
                                   java.time.Instant from, java.time.Instant to) {
        ObjectNode summary;
        try {
            summary = JfrSummary.summarize(file, from, to);
        } catch (Exception e) {
            summary = ClientFleet.json().put("error", String.valueOf(e));
            context.progress().line("could not read %s: %s", file, e);
        }
        return new Profile(system, scenario, what, file, summary);
    }
}
