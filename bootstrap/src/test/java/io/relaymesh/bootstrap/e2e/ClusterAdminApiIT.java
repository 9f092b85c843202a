package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin API of a cluster answers for the whole cluster from any pod: two real pods on real
 * Redis and NATS; sessions, stats and kicks cross pods.
 */
@ExtendWith(RealServices.class)
class ClusterAdminApiIT {
    private static final Duration STATS = Duration.ofSeconds(10);
    private static RedisServer redis;
    private static NatsServer nats;
    private static GatewayHarness a;
    private static GatewayHarness b;

    @BeforeAll
    static void start() {
        redis = RealServices.newRedis();
        nats = RealServices.newNats();
        a = GatewayHarness.pod("pod-a", redis.address(), nats.url());
        b = GatewayHarness.pod("pod-b", redis.address(), nats.url());
    }

    @AfterAll
    static void stop() {
        for (GatewayHarness pod : new GatewayHarness[]{a, b}) {
            if (pod != null) {
                pod.close();
            }
        }
        nats.close();
        redis.close();
    }

    @Test
    void cluster_fromEitherPod_listsBothPods_withTheirConnections() {
        try (WsClient onA = a.user("acme", "view", "alice");
             WsClient bobOnB = b.user("acme", "view", "bob");
             WsClient opsOnB = b.admin("ops-view", "acme", null, null)) {
            for (GatewayHarness asked : List.of(a, b)) {
                GatewayHarness.eventually(STATS, asked.port() + " lists pod-a with 1 and pod-b with 2 connections",
                        () -> {
                            JsonNode view = asked.admin("/admin/api/cluster");
                            return pod(view, "pod-a").path("connections").asInt() == 1
                                    && pod(view, "pod-b").path("connections").asInt() == 2;
                        });
            }
            JsonNode view = b.admin("/admin/api/cluster");
            assertEquals("cluster", view.path("mode").asText());
            assertEquals("pod-b", view.path("answered_by").asText());
            assertEquals(2, view.path("totals").path("pods").asInt(), view.toString());
            assertEquals(3, view.path("totals").path("connections").asInt(), view.toString());
            JsonNode podB = pod(view, "pod-b");
            assertEquals(1, podB.path("user_sessions").asInt());
            assertEquals(1, podB.path("admin_sessions").asInt());
            assertTrue(podB.path("grpc_address").asText().startsWith("127.0.0.1:"), podB.toString());
            assertTrue(pod(view, "pod-a").path("route_keys").asInt() >= 1, view.toString());
        }
    }

    @Test
    void aPublishedEvent_showsUpInTheRatesAndLatencyOfThePods() {
        try (WsClient onA = a.user("acme", "rate", "alice");
             WsClient onB = b.user("acme", "rate", "bob")) {
            GatewayHarness.eventually(STATS, "both pods registered the route", () ->
                    a.admin("/admin/api/routes?q=agent:acme:rate").path("routes").path(0).path("pods").size() == 2);
            a.publish("websocket.acme.rate.chats", "{\"event_id\":\"rate-1\"}");
            assertEquals("rate-1", onA.next(Duration.ofSeconds(10)).path("payload").path("event_id").asText());
            assertEquals("rate-1", onB.next(Duration.ofSeconds(10)).path("payload").path("event_id").asText());

            GatewayHarness.eventually(STATS, "the event and both frames counted", () -> {
                JsonNode view = a.admin("/admin/api/cluster");
                return view.path("totals").path("events_per_second").asDouble() > 0
                        && pod(view, "pod-a").path("latency_ms").path("count").asLong() >= 1
                        && pod(view, "pod-b").path("latency_ms").path("count").asLong() >= 1;
            });
            JsonNode view = a.admin("/admin/api/cluster");
            double forwarded = pod(view, "pod-a").path("forwarded_per_second").asDouble()
                    + pod(view, "pod-b").path("forwarded_per_second").asDouble();
            assertTrue(forwarded > 0, "one pod consumed it and forwarded it to the other: " + view);
            assertTrue(view.path("totals").path("frames_per_second").asDouble() > 0, view.toString());
        }
    }

    @Test
    void sessions_listedOnOnePod_includeAUserConnectedToTheOther() {
        try (WsClient onB = b.user("listco", "agent-1", "carol")) {
            JsonNode listed = a.admin("/admin/api/sessions?q=carol");

            assertEquals(1, listed.path("total").asInt(), listed.toString());
            JsonNode carol = listed.path("sessions").get(0);
            assertEquals("pod-b", carol.path("pod_id").asText());
            assertEquals("session:listco:agent-1:carol", carol.path("session_key").asText());
        }
    }

    @Test
    void kick_sentToPodA_ofAUserOnPodB_closesItWith4409_andTheUserCanReconnect() {
        WsClient onB = b.user("kickco", "agent-1", "dave");
        try {
            HttpResponse<String> response = a.request("POST", "/admin/api/sessions/kick", GatewayHarness.ADMIN_KEY,
                    "{\"company_id\":\"kickco\",\"agent_id\":\"agent-1\",\"user_id\":\"dave\"}");

            assertEquals(200, response.statusCode(), response.body());
            JsonNode answer = GatewayHarness.json(response.body());
            assertTrue(answer.path("kicked").asBoolean());
            assertEquals("pod-b", answer.path("pod_id").asText());
            assertTrue(answer.path("released").asBoolean(), answer.toString());
            JsonNode frame = onB.expectErrorAndClose("SessionKicked", 4409);
            assertEquals("closed by an administrator", frame.path("payload").path("message").asText());
        } finally {
            onB.close();
        }
        for (GatewayHarness pod : List.of(a, b)) {
            try (WsClient again = pod.user("kickco", "agent-1", "dave")) {
                again.send("{\"type\":\"ping\"}");
                assertEquals("pong", again.next().path("type").asText(), "reconnected on " + pod.port());
            }
        }
    }

    @Test
    void routes_listTheirPods_acrossTheCluster() {
        try (WsClient onA = a.user("routeco", "agent-1", "alice");
             WsClient onB = b.user("routeco", "agent-1", "bob")) {
            // A connection joins its route just after it is told ready: give the join a moment.
            GatewayHarness.eventually(STATS, "both pods hold the route", () ->
                    b.admin("/admin/api/routes?q=routeco").path("routes").path(0).path("pods").size() == 2);
            JsonNode routes = b.admin("/admin/api/routes?q=routeco");

            assertEquals(1, routes.path("total").asInt(), routes.toString());
            List<String> pods = new ArrayList<>();
            routes.path("routes").get(0).path("pods").forEach(pod -> pods.add(pod.asText()));
            assertEquals(List.of("pod-a", "pod-b"), pods);
        }
    }

    @Test
    void theAdminKey_isRequired_andDefaultsPrefillNothingInClusterMode() {
        assertEquals(401, a.get("/admin/api/cluster", "wrong-key").statusCode());
        assertEquals(401, b.get("/admin/api/sessions", null).statusCode());

        JsonNode defaults = GatewayHarness.json(a.get("/dashboard/defaults").body());

        assertEquals("cluster", defaults.path("mode").asText());
        assertEquals("pod-a", defaults.path("pod_id").asText());
        assertFalse(defaults.path("prefill").asBoolean(), defaults.toString());
        assertFalse(defaults.has("api_key") || defaults.has("admin_api_key"), defaults.toString());
    }

    private static JsonNode pod(JsonNode view, String podId) {
        for (JsonNode pod : view.path("pods")) {
            if (pod.path("pod_id").asText().equals(podId)) {
                return pod;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
