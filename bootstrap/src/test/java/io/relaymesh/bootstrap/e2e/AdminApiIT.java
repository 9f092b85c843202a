package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin HTTP API on a standalone gateway: auth, validation, listings and kicks (docs/admin-api.md). */
class AdminApiIT {
    private static GatewayHarness gw;

    @BeforeAll
    static void start() {
        gw = GatewayHarness.start();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void everyEndpoint_answers401_withoutTheAdminKey_withAWrongOne_orWithTheGeneralOne() {
        for (String path : List.of("/admin/api/cluster", "/admin/api/sessions", "/admin/api/routes", "/admin/api/nope")) {
            for (String key : new String[]{null, "wrong-key", GatewayHarness.GENERAL_KEY}) {
                HttpResponse<String> response = gw.get(path, key);
                assertEquals(401, response.statusCode(), path + " with " + key + ": " + response.body());
                assertEquals("InvalidAPIKey", GatewayHarness.json(response.body()).path("error").path("code").asText());
                assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
            }
        }
        HttpResponse<String> kick = gw.request("POST", "/admin/api/sessions/kick", null, "{\"admin_id\":\"ops\"}");
        assertEquals(401, kick.statusCode(), kick.body());
    }

    @Test
    void theAdminKeyInTheUrl_isNotAccepted() {
        HttpResponse<String> response = gw.get("/admin/api/cluster?x-api-key=" + GatewayHarness.q(GatewayHarness.ADMIN_KEY));

        assertEquals(401, response.statusCode(), response.body());
    }

    @Test
    void cluster_showsThisPod_itsSessions_andTheEventsDelivered() {
        try (WsClient alice = gw.user("acme", "view", "alice");
             WsClient ops = gw.admin("ops-view", "acme", null, null)) {
            GatewayHarness.eventually(Duration.ofSeconds(5), "stats show the two sessions",
                    () -> pod(gw.admin("/admin/api/cluster")).path("user_sessions").asInt() >= 1
                            && pod(gw.admin("/admin/api/cluster")).path("admin_sessions").asInt() >= 1);
            gw.publish("websocket.acme.view.chats", "{\"event_id\":\"view-1\",\"sent_at\":1}");
            assertEquals("view-1", alice.next().path("payload").path("event_id").asText());

            GatewayHarness.eventually(Duration.ofSeconds(5), "stats count the event and its frame",
                    () -> pod(gw.admin("/admin/api/cluster")).path("latency_ms").path("count").asLong() >= 1);
            HttpResponse<String> response = gw.get("/admin/api/cluster", GatewayHarness.ADMIN_KEY);
            assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
            JsonNode view = GatewayHarness.json(response.body());
            assertEquals("standalone", view.path("mode").asText());
            assertEquals("e2e-pod", view.path("answered_by").asText());
            assertTrue(view.path("generated_at").asLong() > 1_700_000_000_000L, view.toString());
            assertEquals(1, view.path("totals").path("pods").asInt(), view.toString());
            JsonNode pod = pod(view);
            assertEquals("e2e-pod", pod.path("pod_id").asText());
            assertTrue(pod.path("grpc_address").isNull(), "standalone has no gRPC address: " + pod);
            assertTrue(pod.path("events_per_second").asDouble() > 0, pod.toString());
            assertTrue(pod.path("frames_per_second").asDouble() > 0, pod.toString());
            assertTrue(pod.path("delivered_total").asLong() >= 1, pod.toString());
            assertEquals(0, pod.path("dropped_total").asLong(), pod.toString());
            assertEquals(pod.path("user_sessions").asInt() + pod.path("admin_sessions").asInt(),
                    pod.path("connections").asInt());
            assertTrue(pod.path("route_keys").asInt() >= 2, "agent:acme:view and admin:acme:*: " + pod);
            JsonNode latency = pod.path("latency_ms");
            assertTrue(latency.path("p50").asDouble() <= latency.path("p99").asDouble()
                    && latency.path("p99").asDouble() <= latency.path("max").asDouble(), latency.toString());
            assertTrue(pod.path("updated_at").asLong() >= pod.path("started_at").asLong(), pod.toString());
        }
    }

    @Test
    void sessions_areListed_filteredByQ_andLimited() {
        try (WsClient a = gw.user("listco", "agent-1", "alice");
             WsClient b = gw.user("listco", "agent-1", "bob");
             WsClient c = gw.user("otherco", "agent-1", "carol");
             WsClient ops = gw.admin("list-ops", null, null, null)) {
            JsonNode listed = gw.admin("/admin/api/sessions?q=LISTCO");
            assertEquals(2, listed.path("total").asInt(), listed.toString());
            assertFalse(listed.path("truncated").asBoolean());
            JsonNode first = listed.path("sessions").get(0);
            assertEquals("session:listco:agent-1:alice", first.path("session_key").asText());
            assertEquals("user", first.path("kind").asText());
            assertEquals("listco", first.path("company_id").asText());
            assertEquals("agent-1", first.path("agent_id").asText());
            assertEquals("alice", first.path("user_id").asText());
            assertEquals("e2e-pod", first.path("pod_id").asText());
            assertFalse(first.path("connection_id").asText().isEmpty());

            JsonNode limited = gw.admin("/admin/api/sessions?q=listco&limit=1");
            assertEquals(1, limited.path("sessions").size());
            assertEquals(2, limited.path("total").asInt());
            assertTrue(limited.path("truncated").asBoolean());

            JsonNode admins = gw.admin("/admin/api/sessions?q=list-ops");
            JsonNode admin = admins.path("sessions").get(0);
            assertEquals("admin", admin.path("kind").asText(), admins.toString());
            assertEquals("list-ops", admin.path("admin_id").asText());
            assertEquals("session:admin:list-ops", admin.path("session_key").asText());
        }
    }

    @Test
    void routes_areListed_withTheirPods() {
        try (WsClient a = gw.user("routeco", "agent-1", "alice")) {
            a.send("{\"type\":\"select_chat\",\"payload\":{\"chat_id\":\"chat-9\"}}");
            a.send("{\"type\":\"ping\"}");
            assertEquals("pong", a.next().path("type").asText());

            JsonNode routes = gw.admin("/admin/api/routes?q=routeco");

            assertEquals(2, routes.path("total").asInt(), routes.toString());
            List<String> keys = new ArrayList<>();
            routes.path("routes").forEach(route -> keys.add(route.path("route_key").asText()));
            assertEquals(List.of("agent:routeco:agent-1", "chat:routeco:agent-1:chat-9"), keys);
            assertEquals("e2e-pod", routes.path("routes").get(0).path("pods").get(0).asText());
        }
    }

    @Test
    void kick_closesTheClientWith4409_andTheUserCanReconnect() {
        try (WsClient alice = gw.user("kickco", "agent-1", "alice")) {
            HttpResponse<String> kicked = gw.request("POST", "/admin/api/sessions/kick", GatewayHarness.ADMIN_KEY,
                    "{\"company_id\":\"kickco\",\"agent_id\":\"agent-1\",\"user_id\":\"alice\"}");

            assertEquals(200, kicked.statusCode(), kicked.body());
            JsonNode answer = GatewayHarness.json(kicked.body());
            assertTrue(answer.path("kicked").asBoolean());
            assertEquals("session:kickco:agent-1:alice", answer.path("session_key").asText());
            assertEquals("e2e-pod", answer.path("pod_id").asText());
            assertTrue(answer.path("released").asBoolean());
            JsonNode frame = alice.expectErrorAndClose("SessionKicked", 4409);
            assertEquals("closed by an administrator", frame.path("payload").path("message").asText());
        }
        try (WsClient again = gw.user("kickco", "agent-1", "alice")) {
            assertFalse(again.isClosed());
        }
        // The client's close reaches the server a moment later; then the session is gone.
        GatewayHarness.eventually(Duration.ofSeconds(5), "alice's closed session left the list",
                () -> gw.admin("/admin/api/sessions?q=kickco").path("total").asInt() == 0);
        assertEquals(404, gw.request("POST", "/admin/api/sessions/kick", GatewayHarness.ADMIN_KEY,
                "{\"company_id\":\"kickco\",\"agent_id\":\"agent-1\",\"user_id\":\"alice\"}").statusCode(),
                "the reconnected session was closed by the try block, so nobody is left to kick");
    }

    @Test
    void kick_ofAnAdminSession_closesItWith4409() {
        try (WsClient ops = gw.admin("kick-ops", null, null, null)) {
            HttpResponse<String> kicked = gw.request("POST", "/admin/api/sessions/kick", GatewayHarness.ADMIN_KEY,
                    "{\"admin_id\":\"kick-ops\"}");

            assertEquals(200, kicked.statusCode(), kicked.body());
            ops.expectErrorAndClose("SessionKicked", 4409);
        }
    }

    @Test
    void kick_ofNoSuchSession_is404() {
        HttpResponse<String> response = gw.request("POST", "/admin/api/sessions/kick", GatewayHarness.ADMIN_KEY,
                "{\"company_id\":\"nobody\",\"agent_id\":\"agent-1\",\"user_id\":\"ghost\"}");

        assertEquals(404, response.statusCode(), response.body());
        assertEquals("NotFound", GatewayHarness.json(response.body()).path("error").path("code").asText());
    }

    @Test
    void badInput_is400_namingTheField() {
        assertBadRequest(gw.get("/admin/api/sessions?limit=0", GatewayHarness.ADMIN_KEY), "limit");
        assertBadRequest(gw.get("/admin/api/sessions?limit=501", GatewayHarness.ADMIN_KEY), "limit");
        assertBadRequest(gw.get("/admin/api/routes?limit=ten", GatewayHarness.ADMIN_KEY), "limit");
        assertBadRequest(gw.get("/admin/api/sessions?q=" + "x".repeat(200), GatewayHarness.ADMIN_KEY), "q");
        assertBadRequest(kick("{\"company_id\":\"acme\",\"agent_id\":\"agent-1\"}"), "user_id");
        assertBadRequest(kick("{\"company_id\":\"acme\",\"agent_id\":\"a:b\",\"user_id\":\"alice\"}"), "agent_id");
        assertBadRequest(kick("{\"admin_id\":42}"), "admin_id");
        assertBadRequest(kick("{\"admin_id\":\"ops\",\"user_id\":\"alice\"}"), "admin_id");
        assertBadRequest(kick("{}"), "company_id");
        HttpResponse<String> notJson = kick("{nope");
        assertEquals(400, notJson.statusCode(), notJson.body());
        assertEquals("BadRequest", GatewayHarness.json(notJson.body()).path("error").path("code").asText());
        assertEquals("no-store", notJson.headers().firstValue("Cache-Control").orElse(""));
    }

    @Test
    void wrongMethod_is405_andUnknownPath_is404_bothInJson() {
        HttpResponse<String> deleted = gw.request("DELETE", "/admin/api/cluster", GatewayHarness.ADMIN_KEY, null);
        assertEquals(405, deleted.statusCode(), deleted.body());
        assertEquals("GET", deleted.headers().firstValue("Allow").orElse(""));
        assertEquals("MethodNotAllowed", GatewayHarness.json(deleted.body()).path("error").path("code").asText());
        HttpResponse<String> getKick = gw.get("/admin/api/sessions/kick", GatewayHarness.ADMIN_KEY);
        assertEquals(405, getKick.statusCode(), getKick.body());
        assertEquals("POST", getKick.headers().firstValue("Allow").orElse(""));

        HttpResponse<String> unknown = gw.get("/admin/api/nope", GatewayHarness.ADMIN_KEY);
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertEquals("NotFound", GatewayHarness.json(unknown.body()).path("error").path("code").asText());
    }

    @Test
    void dashboardDefaults_neverHandOutConfiguredKeys_evenToALocalSameOriginPage() {
        // Generated keys are prefilled (DashboardDefaultsIT); configured ones, as here, never are.
        HttpResponse<String> response = gw.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + gw.port() + "/dashboard/defaults"))
                .header("Sec-Fetch-Site", "same-origin").GET().build());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
        JsonNode defaults = GatewayHarness.json(response.body());
        assertEquals("standalone", defaults.path("mode").asText());
        assertEquals("e2e-pod", defaults.path("pod_id").asText());
        assertFalse(defaults.path("prefill").asBoolean(), defaults.toString());
        assertTrue(defaults.path("prefill_refused").asText().contains("configured"), defaults.toString());
        assertFalse(response.body().contains(GatewayHarness.GENERAL_KEY), response.body());
        assertFalse(response.body().contains(GatewayHarness.ADMIN_KEY), response.body());
    }

    @Test
    void dashboardDefaults_prefillNothing_forARequestForwardedByAProxy() {
        HttpResponse<String> response = gw.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + gw.port() + "/dashboard/defaults"))
                .header("X-Forwarded-For", "203.0.113.7").GET().build());

        JsonNode defaults = GatewayHarness.json(response.body());
        assertFalse(defaults.path("prefill").asBoolean(), defaults.toString());
        assertFalse(defaults.has("api_key") || defaults.has("admin_api_key"), defaults.toString());
        assertFalse(response.body().contains(GatewayHarness.ADMIN_KEY));
    }

    private static HttpResponse<String> kick(String body) {
        return gw.request("POST", "/admin/api/sessions/kick", GatewayHarness.ADMIN_KEY, body);
    }

    private static void assertBadRequest(HttpResponse<String> response, String field) {
        assertEquals(400, response.statusCode(), response.body());
        JsonNode error = GatewayHarness.json(response.body()).path("error");
        assertEquals("BadRequest", error.path("code").asText(), response.body());
        assertEquals(field, error.path("field").asText(), response.body());
    }

    /** The one pod of a standalone cluster view. */
    private static JsonNode pod(JsonNode view) {
        return view.path("pods").get(0);
    }
}
