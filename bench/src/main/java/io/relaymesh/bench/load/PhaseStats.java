package io.relaymesh.bench.load;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * What the clients of every load process saw of one measured phase (events stamped with its number),
 * merged: frames, distinct (client, event) pairs, duplicates, first-receipt latency overall and by
 * server, and the per-event difference between the first arrival on one server and on the other
 * (what forwarding adds, seen from the clients), and the latency by slice of send time when the
 * publisher stamped slices (the cold window by half-second). Not thread-safe.
 */
public final class PhaseStats {
    public long frames;
    public long distinct;
    public long duplicates;
    public long lastNs;
    public final Histogram latency = new Histogram();
    public final Histogram forwardGap = new Histogram();
    public final List<Server> byServer = new ArrayList<>();
    /** Latency of the events sent in slice i of the phase (empty unless the phase was sliced). */
    public final List<Histogram> slices = new ArrayList<>();
    public long closedAfterReady;

    /** One server's clients. */
    public static final class Server {
        public long frames;
        public long distinct;
        public long duplicates;
        public final Histogram latency = new Histogram();
    }

    public static PhaseStats merge(List<JsonNode> answers, int phase) {
        PhaseStats stats = new PhaseStats();
        for (JsonNode answer : answers) {
            stats.closedAfterReady += answer.path("closedAfterReady").asLong();
            JsonNode p = answer.path("phases").path(Integer.toString(phase));
            if (p.isMissingNode()) {
                continue;
            }
            stats.frames += p.path("frames").asLong();
            stats.distinct += p.path("distinct").asLong();
            stats.duplicates += p.path("duplicates").asLong();
            stats.lastNs = Math.max(stats.lastNs, p.path("lastNs").asLong());
            stats.latency.add(p.path("latencyUs"));
            stats.forwardGap.add(p.path("forwardGapUs"));
            JsonNode slices = p.path("slicesUs");
            for (int i = 0; i < slices.size(); i++) {
                while (stats.slices.size() <= i) {
                    stats.slices.add(new Histogram());
                }
                stats.slices.get(i).add(slices.get(i));
            }
            JsonNode servers = p.path("byServer");
            for (int s = 0; s < servers.size(); s++) {
                while (stats.byServer.size() <= s) {
                    stats.byServer.add(new Server());
                }
                Server server = stats.byServer.get(s);
                server.frames += servers.get(s).path("frames").asLong();
                server.distinct += servers.get(s).path("distinct").asLong();
                server.duplicates += servers.get(s).path("duplicates").asLong();
                server.latency.add(servers.get(s).path("latencyUs"));
            }
        }
        return stats;
    }
}
