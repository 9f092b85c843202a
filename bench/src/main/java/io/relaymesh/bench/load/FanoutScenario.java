package io.relaymesh.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;

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
 *   <li>broadcast: C clients on one agent on one server, rate steps until p99 passes the limit;</li>
 *   <li>crosspod: like chat on two servers, each agent's clients split over both.</li>
 * </ul>
 * A warm-up at the first rate runs first (not measured). Servers are started for the scenario and
 * stopped after it.
 */
public final class FanoutScenario {
    /** A step whose missing frames pass this share also counts as saturated. */
    static final double MISSING_LIMIT = 0.01;

    /** What to run. {@code rates} has one rate for chat and crosspod, the steps for broadcast. */
    public record Options(String scenario, int servers, int clients, int agents, List<Integer> rates, int seconds,
                          double p99LimitMs, int clientProcesses, boolean splitAgents, Path recording) {
    }

    private FanoutScenario() {
    }

    public static List<PhaseResult> run(RunContext context, String systemName, Options o, ObjectNode json) {
        List<PhaseResult> results = new ArrayList<>();
        String company = o.scenario();
        context.progress().line("%s/%s: starting %d server(s)", o.scenario(), systemName, o.servers());
        try (SystemUnderTest system = context.start(systemName, o.servers());
             ClientFleet fleet = context.clients(o.scenario() + "-" + systemName, o.clientProcesses());
             Publisher publisher = context.publisher(system)) {
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
                    o.scenario(), systemName, o.clients(), o.agents(), o.servers(), o.clientProcesses());
            ClientFleet.Connected connected = fleet.connect(connect, entries, context.connectRate(), 200,
                    Duration.ofSeconds(120));
            connected.toJson(json.putObject("connect"));
            context.progress().line("%s/%s: %,d connected, %,d failed %s in %.1f s (connect-to-ready p50 %.1f ms, p99 %.1f ms)",
                    o.scenario(), systemName, connected.ok, connected.failed, connected.errors, connected.seconds,
                    connected.connectLatency.millis(50), connected.connectLatency.millis(99));
            Map<String, Integer> byAgent = new LinkedHashMap<>();
            agents.forEach(a -> byAgent.put(a, connected.byAgent.getOrDefault(a, 0)));
            List<String> targets = agents.stream().map(a -> system.target(company, a)).toList();
            Phases.Load load = new Phases.Load(targets, agents, byAgent);
            if (context.warmupSeconds() > 0) {
                PhaseResult warm = Phases.run(context, system, fleet, publisher, o.scenario(), "warm-up",
                        o.rates().getFirst(), context.warmupSeconds(), load, 10, connected.ok);
                warm.toJson(json.putObject("warmup"));
            }
            GatewayPod recorded = o.recording() != null && system instanceof RelaymeshSystem relaymesh
                    ? relaymesh.pods().getFirst() : null;
            if (recorded != null) {
                recorded.startRecording(o.recording());
                context.progress().line("JFR recording of %s to %s", recorded.id(), o.recording());
            }
            for (int rate : o.rates()) {
                String step = rate + " ev/s";
                PhaseResult result = Phases.run(context, system, fleet, publisher, o.scenario(), step, rate,
                        o.seconds(), load, 15, connected.ok);
                results.add(result);
                boolean slow = result.p(99) > o.p99LimitMs();
                boolean lossy = result.expected() > 0 && result.missing() > MISSING_LIMIT * result.expected();
                if (o.rates().size() > 1 && (slow || lossy)) {
                    String why = slow ? String.format("p99 %.1f ms > %.0f ms", result.p(99), o.p99LimitMs())
                            : String.format("%.1f %% of the frames missing", 100.0 * result.missing() / result.expected());
                    json.put("stopped_after", step + ": " + why);
                    context.progress().line("%s/%s: stop stepping after %s (%s)", o.scenario(), systemName, step, why);
                    break;
                }
            }
            if (recorded != null) {
                recorded.stopRecording();
            }
            int[] closed = fleet.closeClients();
            json.put("clients_closed_at_end", closed[0]).put("clients_terminated_at_end", closed[1]);
            json.put("client_rss_kb_per_process_at_end", fleet.rssKb() / Math.max(1, fleet.size()));
        }
        return results;
    }
}
