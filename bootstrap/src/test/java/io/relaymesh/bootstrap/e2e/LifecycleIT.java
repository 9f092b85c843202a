package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start, serve, refuse beyond the cap, report health and metrics, and stop cleanly. */
class LifecycleIT {

    @Test
    void shutdown_closesEverySocketWith1001_quickly() {
        GatewayHarness gw = GatewayHarness.start();
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                clients.add(gw.user("acme", "shutdown", "u" + i));
            }
            long start = System.nanoTime();
            gw.close();
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            for (WsClient c : clients) {
                assertEquals(1001, c.awaitClose(Duration.ofSeconds(5)).code());
            }
            assertTrue(millis < 10_000, "stop took " + millis + " ms");
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    @Test
    void connectionsBeyondTheCap_areRefusedWithServerFull() {
        try (GatewayHarness gw = GatewayHarness.start(Map.of("RELAYMESH_SERVER_MAX_CONNECTIONS", "3"));
             WsClient a = gw.user("acme", "cap", "a");
             WsClient b = gw.user("acme", "cap", "b");
             WsClient c = gw.user("acme", "cap", "c");
             WsClient d = WsClient.connect(gw.userUri("acme", "cap", gw.userToken("acme", "cap", "d", 60)))) {
            JsonNode error = d.expectErrorAndClose("ServerFull", 1013);
            assertTrue(error.path("payload").path("message").asText().contains("3 connections"));
            assertEquals(200, gw.get("/health").statusCode(), "a full pod is still healthy");
        }
    }

    @Test
    void health_ready_andMetrics_answer() {
        try (GatewayHarness gw = GatewayHarness.start(); WsClient c = gw.user("acme", "obs", "alice")) {
            HttpResponse<String> health = gw.get("/health");
            assertEquals(200, health.statusCode());
            JsonNode body = GatewayHarness.json(health.body());
            assertEquals("ok", body.path("status").asText());
            assertEquals(1, body.path("connections").asInt());
            assertEquals("e2e-pod", body.path("pod_id").asText());

            HttpResponse<String> ready = gw.get("/ready");
            assertEquals(200, ready.statusCode(), ready.body());

            gw.publish("websocket.acme.obs.chats", "{\"event_id\":\"o-1\"}");
            c.next();
            String metrics = gw.get("/metrics").body();
            for (String series : List.of("relaymesh_active_connections{kind=\"user\"} 1.0",
                    "relaymesh_messages_sent_total", "relaymesh_messages_received_total",
                    "relaymesh_auth_success_total{kind=\"user\"}", "relaymesh_websocket_messages_dropped_total",
                    "relaymesh_delivery_latency_seconds_bucket", "relaymesh_session_lock_attempts_total",
                    "relaymesh_session_lock_success_total", "relaymesh_route_registrations_total",
                    "jvm_memory_used_bytes", "process_files_open_files", "relaymesh_websocket_buffer_used_frames",
                    "relaymesh_websocket_connections_max")) {
                assertTrue(metrics.contains(series), "missing " + series);
            }
        }
    }

    @Test
    void tokenEndpoints_validateEveryField() {
        try (GatewayHarness gw = GatewayHarness.start()) {
            HttpResponse<String> missing = gw.post("/generate-token", GatewayHarness.GENERAL_KEY,
                    "{\"company_id\":\"acme\",\"agent_id\":\"a\"}");
            assertEquals(400, missing.statusCode());
            assertEquals("user_id", GatewayHarness.json(missing.body()).path("error").path("field").asText());

            HttpResponse<String> wrongType = gw.post("/generate-token", GatewayHarness.GENERAL_KEY,
                    "{\"company_id\":\"acme\",\"agent_id\":\"a\",\"user_id\":\"u\",\"expires_in_seconds\":\"soon\"}");
            assertEquals(400, wrongType.statusCode());
            assertEquals("expires_in_seconds",
                    GatewayHarness.json(wrongType.body()).path("error").path("field").asText());

            HttpResponse<String> notJson = gw.post("/generate-token", GatewayHarness.GENERAL_KEY, "{oops");
            assertEquals(400, notJson.statusCode());
            assertTrue(notJson.body().contains("not valid JSON"));

            assertEquals(401, gw.post("/generate-token", "wrong", "{}").statusCode());
            assertEquals(401, gw.post("/generate-token", null, "{}").statusCode());
            assertEquals(401, gw.post("/admin/generate-token", GatewayHarness.GENERAL_KEY, "{}").statusCode(),
                    "admin tokens need the admin key");

            HttpResponse<String> admin = gw.post("/admin/generate-token", GatewayHarness.ADMIN_KEY,
                    "{\"admin_id\":\"root\",\"expires_in_seconds\":60}");
            assertEquals(200, admin.statusCode(), admin.body());
            JsonNode token = GatewayHarness.json(admin.body());
            long now = System.currentTimeMillis() / 1000;
            assertTrue(Math.abs(token.path("expires_at").asLong() - (now + 60)) <= 2, admin.body());
        }
    }

    @Test
    void publish_validatesItsBody() {
        try (GatewayHarness gw = GatewayHarness.start()) {
            assertEquals(401, gw.post("/api/v1/publish", GatewayHarness.GENERAL_KEY,
                    "{\"subject\":\"websocket.a.b.chats\",\"payload\":{}}").statusCode(), "publish needs the admin key");
            HttpResponse<String> badSubject = gw.post("/api/v1/publish", GatewayHarness.ADMIN_KEY,
                    "{\"subject\":\"websocket.a.b.messages\",\"payload\":{}}");
            assertEquals(400, badSubject.statusCode());
            assertEquals("subject", GatewayHarness.json(badSubject.body()).path("error").path("field").asText());
            HttpResponse<String> notObject = gw.post("/api/v1/publish", GatewayHarness.ADMIN_KEY,
                    "{\"subject\":\"websocket.a.b.chats\",\"payload\":[1]}");
            assertEquals(400, notObject.statusCode());
            assertEquals("payload", GatewayHarness.json(notObject.body()).path("error").path("field").asText());
        }
    }

    @Test
    void deadListener_makesHealthFail_andRunsTheDeathAction() throws Exception {
        try (GatewayHarness gw = GatewayHarness.start()) {
            var watchdog = new io.relaymesh.adapters.web.ListenerWatchdog("127.0.0.1", freePortNobodyListensOn(),
                    Duration.ofMillis(100), 2, gw.relaymesh().component().health(), gw.listenerDeaths::incrementAndGet);
            watchdog.start();
            try {
                GatewayHarness.eventually(Duration.ofSeconds(3), "listener declared dead",
                        () -> gw.listenerDeaths.get() == 1);
                HttpResponse<String> health = gw.get("/health");
                assertEquals(503, health.statusCode());
                assertTrue(health.body().contains("stopped accepting"), health.body());
                assertEquals(503, gw.get("/ready").statusCode());
            } finally {
                watchdog.close();
            }
        }
    }

    private static int freePortNobodyListensOn() throws Exception {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
