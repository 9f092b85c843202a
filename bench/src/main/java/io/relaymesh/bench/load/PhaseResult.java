package io.relaymesh.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Map;

/**
 * One phase of a fanout-type scenario for one system (a measured step, or the cold window, the
 * warm-up, a profiled step): what was published, what the clients got, how fast and how late, what
 * the processes spent in CPU, and the servers' own counters.
 *
 * @param expected          frames that should arrive: for each target, events the broker took times the
 *                          clients connected on that target's agent
 * @param deliveredFps      distinct frames / (last frame's arrival − first publish)
 * @param wallSeconds       from just before the first publish to the end of the drain: the CPU window
 * @param serverCores       CPU seconds of the server processes (pods or Socket.IO nodes) per wall second
 * @param serverThreadCores the same by thread name (both servers together), from /proc/&lt;pid&gt;/task;
 *                          "(threads that ended)" is the process total less the live threads' sum
 * @param startedAt         wall clock just before the first publish (to cut a flight recording to the phase)
 * @param endedAt           wall clock at the end of the drain
 * @param sliceMs           the slice of send time the clients' latency is also split by (0: none)
 * @param clientFleetCores  the load client processes' CPU alone (clientCores is them and the publisher)
 */
public record PhaseResult(String system, String scenario, String step, int servers, int clients, int agents,
                          double rate, JsonNode published, long expected, PhaseStats stats, double deliveredFps,
                          double wallSeconds, double serverCores, double brokerCores, double clientCores,
                          ObjectNode counters, Map<String, Double> serverThreadCores, Instant startedAt,
                          Instant endedAt, int sliceMs, int clientProcesses, double clientFleetCores) {

    /** The load clients used most of a core per process: the step measured them as much as the server. */
    public boolean clientsSaturated() {
        return clientFleetCores > 0.85 * Math.max(1, clientProcesses);
    }

    public long missing() {
        return Math.max(0, expected - stats.distinct);
    }

    public double p(double percentile) {
        return stats.latency.millis(percentile);
    }

    /** Frames per second the publisher offered: the events the broker took × their clients / publishing seconds. */
    public double offeredFps() {
        double seconds = published.path("sendSeconds").asDouble();
        return seconds > 0 ? expected / seconds : Double.NaN;
    }

    /**
     * CPU seconds the server processes spent per 100,000 delivered (distinct) frames; the same number
     * is the cores they would need for 100,000 frames/s at this cost per frame.
     */
    public double serverCpuPer100kFrames() {
        return stats.distinct == 0 ? Double.NaN : serverCores * wallSeconds / stats.distinct * 100_000;
    }

    /** The same for Redis + NATS (both run during every phase; each system uses its own). */
    public double brokerCpuPer100kFrames() {
        return stats.distinct == 0 ? Double.NaN : brokerCores * wallSeconds / stats.distinct * 100_000;
    }

    public void toJson(ObjectNode into) {
        into.put("system", system).put("scenario", scenario).put("step", step).put("servers", servers)
                .put("clients", clients).put("agents", agents).put("events_per_second_asked", rate);
        into.set("publisher", published);
        into.put("expected_frames", expected).put("frames_received", stats.frames)
                .put("distinct_frames", stats.distinct).put("duplicates", stats.duplicates).put("missing", missing())
                .put("delivered_frames_per_second", Math.round(deliveredFps))
                .put("offered_frames_per_second", Math.round(offeredFps()))
                .put("wall_seconds", wallSeconds)
                .put("started_at", startedAt.toString()).put("ended_at", endedAt.toString())
                .put("server_cpu_cores", serverCores).put("broker_cpu_cores", brokerCores)
                .put("client_cpu_cores", clientCores).put("client_processes", clientProcesses)
                .put("client_processes_cpu_cores", clientFleetCores)
                .put("server_cpu_seconds_per_100k_frames", serverCpuPer100kFrames())
                .put("broker_cpu_seconds_per_100k_frames", brokerCpuPer100kFrames())
                .put("clients_closed_by_server", stats.closedAfterReady);
        ObjectNode threads = into.putObject("server_cpu_cores_by_thread");
        serverThreadCores.forEach(threads::put);
        stats.latency.summarize(into.putObject("latency"));
        if (!stats.forwardGap.isEmpty()) {
            stats.forwardGap.summarize(into.putObject("forward_gap"));
        }
        if (sliceMs > 0) {
            into.put("slice_ms", sliceMs);
            var slices = into.putArray("latency_by_slice_of_send_time");
            for (int i = 0; i < stats.slices.size(); i++) {
                ObjectNode slice = slices.addObject().put("from_ms", i * sliceMs).put("to_ms", (i + 1) * sliceMs);
                stats.slices.get(i).summarize(slice);
            }
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
