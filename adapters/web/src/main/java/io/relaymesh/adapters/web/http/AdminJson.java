package io.relaymesh.adapters.web.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.application.admin.ClusterOverview;
import io.relaymesh.domain.model.LatencySummary;
import io.relaymesh.domain.model.Listing;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.PodStats;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.port.RouteCatalog.Route;
import io.relaymesh.domain.port.SessionCatalog.HeldSession;

import java.util.List;

/** The JSON bodies of the admin API (docs/admin-api.md): field names as in logs and metrics. Stateless. */
final class AdminJson {
    private AdminJson() {
    }

    static ObjectNode cluster(ClusterOverview.View view) {
        ObjectNode body = JsonResponses.JSON.createObjectNode();
        body.put("mode", view.standalone() ? "standalone" : "cluster");
        body.put("answered_by", view.answeredBy().value());
        body.put("generated_at", view.generatedAtMillis());
        ClusterOverview.Totals totals = view.totals();
        body.putObject("totals")
                .put("pods", totals.pods())
                .put("connections", totals.connections())
                .put("route_keys", totals.routeKeys())
                .put("events_per_second", totals.eventsPerSecond())
                .put("frames_per_second", totals.framesPerSecond());
        ArrayNode pods = body.putArray("pods");
        for (ClusterOverview.PodEntry entry : view.pods()) {
            pods.add(pod(entry));
        }
        return body;
    }

    /** A pod; one that posted no stats has zeros, nulls and {@code "has_stats": false}. */
    private static ObjectNode pod(ClusterOverview.PodEntry entry) {
        ObjectNode node = JsonResponses.JSON.createObjectNode();
        node.put("pod_id", entry.pod().value());
        PodStats stats = entry.stats().orElse(null);
        if (stats == null) {
            node.putNull("grpc_address");
            node.putNull("started_at");
            node.putNull("updated_at");
        } else {
            if (stats.grpcAddress().isEmpty()) {
                node.putNull("grpc_address");
            } else {
                node.put("grpc_address", stats.grpcAddress());
            }
            node.put("started_at", stats.startedAtMillis());
            node.put("updated_at", stats.updatedAtMillis());
        }
        node.put("has_stats", stats != null);
        node.put("connections", stats == null ? 0 : stats.connections());
        node.put("user_sessions", stats == null ? 0 : stats.userSessions());
        node.put("admin_sessions", stats == null ? 0 : stats.adminSessions());
        node.put("route_keys", stats == null ? 0 : stats.routeKeys());
        node.put("events_per_second", stats == null ? 0.0 : stats.eventsPerSecond());
        node.put("frames_per_second", stats == null ? 0.0 : stats.framesPerSecond());
        node.put("forwarded_per_second", stats == null ? 0.0 : stats.forwardedPerSecond());
        LatencySummary latency = stats == null ? LatencySummary.EMPTY : stats.latency();
        node.putObject("latency_ms")
                .put("p50", latency.p50())
                .put("p95", latency.p95())
                .put("p99", latency.p99())
                .put("max", latency.max())
                .put("count", latency.count());
        node.put("delivered_total", stats == null ? 0 : stats.deliveredTotal());
        node.put("dropped_total", stats == null ? 0 : stats.droppedTotal());
        return node;
    }

    static ObjectNode sessions(Listing<HeldSession> listing) {
        ObjectNode body = JsonResponses.JSON.createObjectNode();
        ArrayNode sessions = body.putArray("sessions");
        for (HeldSession held : listing.items()) {
            SessionKey key = held.key();
            ObjectNode node = sessions.addObject();
            node.put("session_key", key.value());
            List<String> ids = key.ids();
            if (key.isAdmin()) {
                node.put("kind", "admin");
                node.put("admin_id", ids.getFirst());
            } else {
                node.put("kind", "user");
                node.put("company_id", ids.get(0));
                node.put("agent_id", ids.size() > 1 ? ids.get(1) : "");
                node.put("user_id", ids.size() > 2 ? ids.get(2) : "");
            }
            node.put("pod_id", held.owner().pod().value());
            node.put("connection_id", held.owner().connection().value());
        }
        return totals(body, listing);
    }

    static ObjectNode routes(Listing<Route> listing) {
        ObjectNode body = JsonResponses.JSON.createObjectNode();
        ArrayNode routes = body.putArray("routes");
        for (Route route : listing.items()) {
            ObjectNode node = routes.addObject();
            node.put("route_key", route.key().value());
            ArrayNode pods = node.putArray("pods");
            route.pods().stream().map(PodId::value).sorted().forEach(pods::add);
        }
        return totals(body, listing);
    }

    private static ObjectNode totals(ObjectNode body, Listing<?> listing) {
        body.put("total", listing.total());
        body.put("truncated", listing.truncated());
        return body;
    }
}
