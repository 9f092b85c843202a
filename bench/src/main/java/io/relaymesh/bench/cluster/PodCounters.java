package io.relaymesh.bench.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reading of one pod's own counters (its Prometheus registry), summed over peers and reasons:
 * events taken from JetStream and how they were settled, pod-to-pod forwarding trouble, and frames
 * the pod dropped instead of writing them to a client. Subtract two
 * readings to get a scenario's share. Immutable.
 */
public record PodCounters(Map<String, Double> values) {
    public static final String CONSUMED = "stream_consumed";
    public static final String ACKED = "stream_acked";
    public static final String NAKED = "stream_naked";
    public static final String FORWARD_FAILURES = "grpc_forward_failures";
    public static final String FORWARD_RETRIES = "grpc_forward_retries";
    public static final String FORWARDED = "grpc_events_forwarded";
    /** Frames a pod did not write to a client (full send queue: drop_oldest, slow_consumer; or closed). */
    public static final String DROPPED = "ws_frames_dropped";

    static PodCounters read(MeterRegistry registry) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put(CONSUMED, sum(registry, "relaymesh_stream_events", "consumed"));
        values.put(ACKED, sum(registry, "relaymesh_stream_events", "acked"));
        values.put(NAKED, sum(registry, "relaymesh_stream_events", "naked"));
        values.put(FORWARD_FAILURES, sum(registry, "relaymesh_grpc_forward_failures", null));
        values.put(FORWARD_RETRIES, sum(registry, "relaymesh_grpc_forward_retry_attempts", null));
        values.put(FORWARDED, sum(registry, "relaymesh_grpc_messages_sent", null));
        values.put(DROPPED, sum(registry, "relaymesh_websocket_messages_dropped", null));
        return new PodCounters(Map.copyOf(values));
    }

    private static double sum(MeterRegistry registry, String name, String outcome) {
        var search = registry.find(name);
        if (outcome != null) {
            search = search.tag("outcome", outcome);
        }
        return search.counters().stream().mapToDouble(Counter::count).sum();
    }

    public PodCounters minus(PodCounters before) {
        Map<String, Double> diff = new LinkedHashMap<>();
        values.forEach((name, value) -> diff.put(name, value - before.values.getOrDefault(name, 0.0)));
        return new PodCounters(Map.copyOf(diff));
    }

    public long get(String name) {
        return Math.round(values.getOrDefault(name, 0.0));
    }
}
