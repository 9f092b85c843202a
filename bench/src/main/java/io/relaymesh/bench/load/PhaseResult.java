package io.relaymesh.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One measured phase of a fanout-type scenario for one system: what was published, what the clients
 * got, how fast and how late, what the processes spent in CPU, and the servers' own counters.
 *
 * @param expected      frames that should arrive: for each target, events the broker took times the
 *                      clients connected on that target's agent
 * @param deliveredFps  distinct frames / (last frame's arrival − first publish)
 * @param serverCores   CPU seconds of the server processes (pods or Socket.IO nodes) per wall second
 */
public record PhaseResult(String system, String scenario, String step, int servers, int clients, int agents,
                          double rate, JsonNode published, long expected, PhaseStats stats, double deliveredFps,
                          double wallSeconds, double serverCores, double brokerCores, double clientCores,
                          ObjectNode counters) {

    public long missing() {
        return Math.max(0, expected - stats.distinct);
    }

    public double p(double percentile) {
        return stats.latency.millis(percentile);
    }

    public void toJson(ObjectNode into) {
        into.put("system", system).put("scenario", scenario).put("step", step).put("servers", servers)
                .put("clients", clients).put("agents", agents).put("events_per_second_asked", rate);
        into.set("publisher", published);
        into.put("expected_frames", expected).put("frames_received", stats.frames)
                .put("distinct_frames", stats.distinct).put("duplicates", stats.duplicates).put("missing", missing())
                .put("delivered_frames_per_second", Math.round(deliveredFps))
                .put("wall_seconds", wallSeconds)
                .put("server_cpu_cores", serverCores).put("broker_cpu_cores", brokerCores)
                .put("client_cpu_cores", clientCores).put("clients_closed_by_server", stats.closedAfterReady);
        stats.latency.summarize(into.putObject("latency"));
        if (!stats.forwardGap.isEmpty()) {
            stats.forwardGap.summarize(into.putObject("forward_gap"));
        }
        for (int s = 0; s < stats.byServer.size(); s++) {
            PhaseStats.Server server = stats.byServer.get(s);
            ObjectNode node = into.putObject("clients_on_server_" + s).put("frames", server.frames)
                    .put("distinct", server.distinct).put("duplicates", server.duplicates);
            server.latency.summarize(node.putObject("latency"));
        }
        if (counters != null) {
            into.set("server_counters", counters);
        }
    }
}
