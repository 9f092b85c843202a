package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exclusive sessions across pods, with real Redis and NATS and real pods. */
@ExtendWith(RealServices.class)
class ClusterSessionsIT {
    private static RedisServer redis;
    private static NatsServer nats;

    @BeforeAll
    static void services() {
        redis = RealServices.newRedis();
        nats = RealServices.nats();
    }

    @AfterAll
    static void stopServices() {
        redis.close();
    }

    @Test
    void sameUserOnPodAThenPodB_closesAWith4402_andBGetsReady() {
        try (GatewayHarness a = GatewayHarness.pod("pod-a", redis.address(), nats.url());
             GatewayHarness b = GatewayHarness.pod("pod-b", redis.address(), nats.url())) {
            WsClient onA = a.user("acme", "move", "alice");
            try (WsClient onB = WsClient.connect(b.userUri("acme", "move", b.userToken("acme", "move", "alice", 600)))) {
                onB.expectReady();
                onA.expectErrorAndClose("SessionConflict", 4402);
                var owner = b.relaymesh().component().sessionLocks()
                        .owner(new SessionKey("session:acme:move:alice")).orElseThrow();
                assertEquals("pod-b", owner.pod().value());
            } finally {
                onA.close();
            }
        }
    }

    @Test
    void podKilledWithoutCleanup_userReconnectsOnAnotherPodInUnderOneSecond() throws Exception {
        int port = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(JarProcess.keyedEnv(port));
        env.putAll(GatewayHarness.clusterEnv("pod-doomed", redis.address(), nats.url()));
        try (GatewayHarness survivor = GatewayHarness.pod("pod-survivor", redis.address(), nats.url());
             JarProcess doomed = JarProcess.start(port, env, 0).awaitUp()) {
            String token = survivor.userToken("acme", "crash", "bob", 600);
            WsClient onDoomed = WsClient.connect(java.net.URI.create("ws://127.0.0.1:" + port + "/ws/acme/crash?token="
                    + GatewayHarness.q(token) + "&x-api-key=" + GatewayHarness.q(GatewayHarness.GENERAL_KEY)));
            onDoomed.expectReady();
            doomed.process.destroyForcibly(); // kill -9: no close, no lock release
            doomed.process.waitFor();
            onDoomed.close();

            long start = System.nanoTime();
            try (WsClient onSurvivor = WsClient.connect(survivor.userUri("acme", "crash", token))) {
                onSurvivor.expectReady();
                long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertTrue(millis < 1000, "reconnect took " + millis + " ms");
            }
        }
    }

    @Test
    void redisRestart_keepsSockets_andTheirLocksAndRoutesComeBack() throws Exception {
        try (GatewayHarness a = GatewayHarness.pod("pod-r", redis.address(), nats.url());
             WsClient alice = a.user("acme", "restart", "alice")) {
            redis.stop();
            Thread.sleep(500);
            redis.start(); // empty: no persistence in tests
            SessionKey key = new SessionKey("session:acme:restart:alice");
            GatewayHarness.eventually(Duration.ofSeconds(5), "lock re-taken after the restart",
                    () -> ownerIs(a, key, "pod-r"));
            GatewayHarness.eventually(Duration.ofSeconds(5), "route re-registered after the restart",
                    () -> a.relaymesh().component().routeRegistry().lookup(List.of(RouteKey.agent("acme", "restart")))
                            .get(RouteKey.agent("acme", "restart")).size() == 1);
            assertFalse(alice.isClosed(), "the socket must stay open");
            JsonNode answer = a.publish("websocket.acme.restart.chats", "{\"event_id\":\"after-restart\"}");
            assertEquals("after-restart", answer.path("event_id").asText());
            assertEquals("after-restart", alice.next(Duration.ofSeconds(10)).path("payload").path("event_id").asText());
        }
    }

    @Test
    void redisDown_refusesNewConnectionsWith1011_keepsExistingOnes_andReadyReportsIt() throws Exception {
        try (GatewayHarness a = GatewayHarness.pod("pod-down", redis.address(), nats.url());
             WsClient existing = a.user("acme", "outage", "alice")) {
            String token = a.userToken("acme", "outage", "bob", 600);
            redis.stop();
            try {
                try (WsClient refused = WsClient.connect(a.userUri("acme", "outage", token))) {
                    refused.expectErrorAndClose("InternalServerError", 1011);
                }
                HttpResponse<String> ready = a.get("/ready");
                assertEquals(503, ready.statusCode(), ready.body());
                assertEquals("down", GatewayHarness.json(ready.body()).path("checks").path("redis").path("status").asText());
                assertEquals(200, a.get("/health").statusCode());
                String metrics = a.get("/metrics").body();
                assertTrue(metrics.contains("relaymesh_state_errors_total{operation=\"session_lock\"}"), metrics);
                assertFalse(existing.isClosed());
                existing.send("{\"type\":\"ping\"}");
                assertEquals("pong", existing.next().path("type").asText());
            } finally {
                redis.start();
            }
            GatewayHarness.eventually(Duration.ofSeconds(10), "ready again", () -> a.get("/ready").statusCode() == 200);
        }
    }

    @Test
    void podStartedWhileRedisIsDown_startsNotReady_andBecomesReadyWhenRedisComesUp() {
        RedisServer late = RealServices.newRedis();
        late.stop();
        try (GatewayHarness pod = GatewayHarness.pod("pod-early", late.address(), nats.url())) {
            assertEquals(503, pod.get("/ready").statusCode());
            assertEquals(200, pod.get("/health").statusCode());
            late.start();
            GatewayHarness.eventually(Duration.ofSeconds(10), "ready once Redis is up",
                    () -> pod.get("/ready").statusCode() == 200);
            try (WsClient alice = pod.user("acme", "late", "alice")) {
                alice.send("{\"type\":\"ping\"}");
                assertEquals("pong", alice.next().path("type").asText());
            }
        } finally {
            late.close();
        }
    }

    private static boolean ownerIs(GatewayHarness pod, SessionKey key, String podId) {
        try {
            return pod.relaymesh().component().sessionLocks().owner(key)
                    .map(o -> o.pod().value().equals(podId)).orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

}
