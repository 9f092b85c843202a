package io.relaymesh.adapters.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.domain.model.LatencySummary;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.PodStats;

import java.util.Optional;

/**
 * The JSON of a pod's posted stats, with the field names the admin API uses. Mapped field by field
 * (not by reflection) so the stored format stays put when the record changes, and so pods of two
 * versions read each other during a rolling upgrade (unknown fields are ignored, missing ones are
 * zero). Thread-safe.
 */
final class PodStatsJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PodStatsJson() {
    }

    static String encode(PodStats stats) {
        ObjectNode node = JSON.createObjectNode()
                .put("pod_id", stats.pod().value())
                .put("grpc_address", stats.grpcAddress())
                .put("started_at", stats.startedAtMillis())
                .put("updated_at", stats.updatedAtMillis())
                .put("user_sessions", stats.userSessions())
                .put("admin_sessions", stats.adminSessions())
                .put("route_keys", stats.routeKeys())
                .put("events_per_second", stats.eventsPerSecond())
                .put("frames_per_second", stats.framesPerSecond())
                .put("forwarded_per_second", stats.forwardedPerSecond())
                .put("delivered_total", stats.deliveredTotal())
                .put("dropped_total", stats.droppedTotal());
        LatencySummary latency = stats.latency();
        node.putObject("latency_ms")
                .put("p50", latency.p50())
                .put("p95", latency.p95())
                .put("p99", latency.p99())
                .put("max", latency.max())
                .put("count", latency.count());
        return node.toString();
    }

    /** The stats in {@code json}, or empty when it is not a valid post (logged by the caller). */
    static Optional<PodStats> decode(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            JsonNode latency = node.path("latency_ms");
            return Optional.of(new PodStats(new PodId(node.path("pod_id").asText()), node.path("grpc_address").asText(""),
                    node.path("started_at").asLong(), node.path("updated_at").asLong(),
                    node.path("user_sessions").asInt(), node.path("admin_sessions").asInt(),
                    node.path("route_keys").asInt(), node.path("events_per_second").asDouble(),
                    node.path("frames_per_second").asDouble(), node.path("forwarded_per_second").asDouble(),
                    new LatencySummary(latency.path("p50").asDouble(), latency.path("p95").asDouble(),
                            latency.path("p99").asDouble(), latency.path("max").asDouble(),
                            latency.path("count").asLong()),
                    node.path("delivered_total").asLong(), node.path("dropped_total").asLong()));
        } catch (JsonProcessingException | RuntimeException malformed) {
            return Optional.empty();
        }
    }
}
