package io.relaymesh.bench.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.bench.support.Samples;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The counts of one scenario, in total and by the pod the clients were on. A "frame" is an event
 * frame a client received; a duplicate is a frame for an event id the client already had; missing
 * is an (event, client) pair never received by the end of the drain. Latency is the first receipt
 * of each event by each client, from just before its publish request was sent. Immutable after {@link #of}.
 */
public final class ScenarioResult {
    /** The same counts for the clients of one pod (or all). */
    public record Counts(int clients, long frames, long distinct, long duplicates, long missing, long otherFrames,
                         int closedClients, Samples latencyMicros) {
        public double duplicateRate() {
            return frames == 0 ? 0 : (double) duplicates / frames;
        }

        double latencyMillis(double percentile) {
            return latencyMicros.isEmpty() ? Double.NaN : latencyMicros.percentile(percentile) / 1_000.0;
        }

        double maxLatencyMillis() {
            return latencyMicros.isEmpty() ? Double.NaN : latencyMicros.max() / 1_000.0;
        }

        void toJson(ObjectNode node) {
            node.put("clients", clients).put("frames", frames).put("distinct_events_received", distinct)
                    .put("duplicates", duplicates).put("missing", missing).put("duplicate_rate", duplicateRate())
                    .put("other_frames", otherFrames).put("clients_closed_by_server", closedClients);
            if (!latencyMicros.isEmpty()) {
                node.put("latency_p50_ms", latencyMillis(50)).put("latency_p95_ms", latencyMillis(95))
                        .put("latency_p99_ms", latencyMillis(99)).put("latency_max_ms", maxLatencyMillis());
            }
        }
    }

    private final ScenarioOptions options;
    private final Publisher.Outcome published;
    private final Counts total;
    private final Map<String, Counts> byPod;
    private final Map<String, PodCounters> podCounters;
    private final GrpcOutage outage;
    private final long completeAfterMillis;
    private final List<String> notes;
    private final int eventsDuplicated;

    private ScenarioResult(ScenarioOptions options, Publisher.Outcome published, Counts total, Map<String, Counts> byPod,
                           Map<String, PodCounters> podCounters, GrpcOutage outage, long completeAfterMillis,
                           List<String> notes, int eventsDuplicated) {
        this.eventsDuplicated = eventsDuplicated;
        this.options = options;
        this.published = published;
        this.total = total;
        this.byPod = byPod;
        this.podCounters = podCounters;
        this.outage = outage;
        this.completeAfterMillis = completeAfterMillis;
        this.notes = notes;
    }

    static ScenarioResult of(ScenarioOptions options, Publisher.Outcome published, List<BenchClient> clients,
                             Map<String, PodCounters> podCounters, GrpcOutage outage, long completeAfterMillis) {
        int expected = published.attempted();
        Map<String, List<BenchClient>> byPodClients = new LinkedHashMap<>();
        for (String pod : podCounters.keySet()) {
            byPodClients.put(pod, new ArrayList<>());
        }
        List<String> notes = new ArrayList<>();
        for (BenchClient client : clients) {
            byPodClients.computeIfAbsent(client.pod().id(), k -> new ArrayList<>()).add(client);
            if (client.closedBy() != null) {
                notes.add(client.user() + " on " + client.pod().id() + " was closed: " + client.closedBy());
            }
            if (client.tally().otherFrames() > 0) {
                notes.add(client.user() + " on " + client.pod().id() + " got " + client.tally().otherFrames()
                        + " non-event frame(s), last: " + client.tally().lastOther());
            }
        }
        Map<String, Counts> byPod = new LinkedHashMap<>();
        byPodClients.forEach((pod, podClients) -> byPod.put(pod, count(podClients, expected)));
        Set<String> duplicated = new HashSet<>();
        clients.forEach(client -> client.tally().duplicatedInto(duplicated));
        int[] missingBy = new int[expected];
        clients.forEach(client -> client.tally().countMissing(missingBy));
        String missingRanges = ranges(missingBy);
        if (!missingRanges.isEmpty()) {
            notes.add("missing events (seq, and how many of the " + clients.size() + " clients miss them): "
                    + missingRanges);
        }
        return new ScenarioResult(options, published, count(clients, expected), byPod, podCounters, outage,
                completeAfterMillis, notes, duplicated.size());
    }

    /** "3-17 (30), 41 (10)": runs of consecutive seqs missed by the same number of clients; at most 20 runs. */
    static String ranges(int[] missingBy) {
        StringBuilder out = new StringBuilder();
        int runs = 0;
        int i = 0;
        while (i < missingBy.length) {
            if (missingBy[i] == 0) {
                i++;
                continue;
            }
            int start = i;
            while (i + 1 < missingBy.length && missingBy[i + 1] == missingBy[start]) {
                i++;
            }
            if (runs++ == 20) {
                out.append(", …");
                break;
            }
            out.append(out.isEmpty() ? "" : ", ").append(start == i ? Integer.toString(start) : start + "-" + i)
                    .append(" (").append(missingBy[start]).append(')');
            i++;
        }
        return out.toString();
    }

    private static Counts count(List<BenchClient> clients, int expected) {
        long frames = 0;
        long distinct = 0;
        long duplicates = 0;
        long missing = 0;
        long other = 0;
        int closed = 0;
        Samples latency = new Samples();
        for (BenchClient client : clients) {
            ClientTally tally = client.tally();
            frames += tally.frames();
            distinct += tally.distinct();
            duplicates += tally.duplicates();
            missing += tally.missing(expected);
            other += tally.otherFrames();
            closed += client.closedBy() == null ? 0 : 1;
            tally.latenciesInto(latency);
        }
        return new Counts(clients.size(), frames, distinct, duplicates, missing, other, closed, latency);
    }

    public ScenarioOptions options() {
        return options;
    }

    public Publisher.Outcome published() {
        return published;
    }

    public Counts total() {
        return total;
    }

    public Map<String, Counts> byPod() {
        return byPod;
    }

    public Map<String, PodCounters> podCounters() {
        return podCounters;
    }

    /** Distinct events that reached at least one client more than once. */
    public int eventsDuplicated() {
        return eventsDuplicated;
    }

    public long completeAfterMillis() {
        return completeAfterMillis;
    }

    public List<String> notes() {
        return notes;
    }

    public String faultDescription() {
        return outage == null ? "none" : outage.describe();
    }

    public long sumCounter(String name) {
        return podCounters.values().stream().mapToLong(c -> c.get(name)).sum();
    }

    public ObjectNode toJson(ObjectNode node) {
        node.put("name", options.name());
        node.putObject("options").put("clients", options.clients()).put("events", options.events())
                .put("rate_per_s", options.perSecond()).put("drain_s", options.drainSeconds())
                .put("quiet_ms", options.quietMillis());
        if (outage != null) {
            outage.toJson(node.putObject("fault"));
        }
        ObjectNode pub = node.putObject("publish");
        pub.put("attempted", published.attempted()).put("accepted", published.accepted())
                .put("failed", published.failed()).put("seconds", published.seconds())
                .put("achieved_rate_per_s", published.achievedRate());
        if (published.firstFailure() != null) {
            pub.put("first_failure", published.firstFailure());
        }
        if (!published.httpMicros().isEmpty()) {
            pub.put("http_p50_ms", published.httpMicros().percentile(50) / 1e3)
                    .put("http_p99_ms", published.httpMicros().percentile(99) / 1e3);
        }
        node.put("expected_frames", (long) published.attempted() * options.clients());
        node.put("all_received_ms_after_last_publish", completeAfterMillis);
        node.put("events_with_a_duplicate", eventsDuplicated);
        total.toJson(node.putObject("total"));
        ObjectNode pods = node.putObject("by_client_pod");
        byPod.forEach((pod, counts) -> counts.toJson(pods.putObject(pod)));
        ObjectNode counters = node.putObject("pod_counters");
        podCounters.forEach((pod, c) -> {
            ObjectNode podNode = counters.putObject(pod);
            c.values().forEach(podNode::put);
        });
        notes.forEach(node.putArray("notes")::add);
        return node;
    }
}
