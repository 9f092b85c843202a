package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.relaymesh.adapters.grpc.GrpcDeliveryServer;
import io.relaymesh.bootstrap.wiring.ClusterParts;
import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events published to JetStream reach sockets on whichever pod holds them: consumed by one pod,
 * routed through Redis, forwarded over gRPC. Real Redis, real NATS JetStream, real pods.
 */
@ExtendWith(RealServices.class)
class ClusterDeliveryIT {
    private static final Duration QUIET = Duration.ofMillis(500);
    private static RedisServer redis;
    private static NatsServer nats;
    private static GatewayHarness a;
    private static GatewayHarness b;
    private static GatewayHarness c;

    @BeforeAll
    static void start() {
        redis = RealServices.newRedis();
        nats = RealServices.newNats();
        a = GatewayHarness.pod("pod-a", redis.address(), nats.url());
        b = GatewayHarness.pod("pod-b", redis.address(), nats.url());
        c = GatewayHarness.pod("pod-c", redis.address(), nats.url());
    }

    @AfterAll
    static void stop() {
        for (GatewayHarness pod : new GatewayHarness[]{a, b, c}) {
            if (pod != null) {
                pod.close();
            }
        }
        nats.close();
        redis.close();
    }

    @Test
    void chatsEvent_reachesUsersOnEveryPod_whicheverPodConsumesIt() {
        try (WsClient onA = a.user("acme", "x", "alice");
             WsClient onB = b.user("acme", "x", "bob");
             WsClient onC = c.user("acme", "x", "carol");
             WsClient otherAgent = c.user("acme", "y", "dave")) {
            for (int i = 0; i < 10; i++) {
                a.publish("websocket.acme.x.chats", "{\"event_id\":\"x-" + i + "\"}");
            }
            for (WsClient client : new WsClient[]{onA, onB, onC}) {
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < 10; i++) {
                    seen.add(client.next(Duration.ofSeconds(10)).path("payload").path("event_id").asText());
                }
                assertEquals(10, seen.size(), "every event, once each: " + seen);
            }
            assertNull(otherAgent.poll(QUIET));
        }
    }

    @Test
    void messagesEvent_reachesOnlyTheSocketThatSelectedTheChat_onAnotherPod() {
        try (WsClient onB = b.user("acme", "m", "bob");
             WsClient onC = c.user("acme", "m", "carol")) {
            onC.send("{\"type\":\"select_chat\",\"payload\":{\"chat_id\":\"c-7\"}}");
            onC.send("{\"type\":\"ping\"}");
            assertEquals("pong", onC.next().path("type").asText());
            a.publish("websocket.acme.m.messages.c-7", "{\"event_id\":\"m-1\"}");
            assertEquals("m-1", onC.next(Duration.ofSeconds(10)).path("payload").path("event_id").asText());
            assertNull(onB.poll(QUIET));
        }
    }

    @Test
    void agentsEvent_reachesSubscribedAdminsOnOtherPods() {
        try (WsClient adminOnB = b.admin("ops-b", "acme", null, null);
             WsClient restrictedOnC = c.admin("ops-c", null, null, "globex")) {
            a.publish("websocket.acme.z.agents", "{\"event_id\":\"ag-1\"}");
            assertEquals("ag-1", adminOnB.next(Duration.ofSeconds(10)).path("payload").path("event_id").asText());
            assertNull(restrictedOnC.poll(QUIET));
        }
    }

    @Test
    void refusingPeer_getsItsEventsOnceItRecovers_andOthersAreNotHeldUp() throws Exception {
        try (WsClient onB = b.user("acme", "refuse", "bob");
             WsClient onC = c.user("acme", "refuse", "carol")) {
            var holder = c.relaymesh().component().grpcServer();
            GrpcDeliveryServer server = holder.current();
            int port = server.port();
            server.close(); // pod-c is alive (heartbeat, socket) but refuses pod-to-pod calls
            Set<String> published = new HashSet<>();
            try {
                // Any pod may consume an event; only one consumed by pod-a or pod-b has to be
                // forwarded to the refusing pod-c. Publish rounds until one was (bounded).
                double consumedBefore = consumed(a) + consumed(b);
                for (int round = 0; round < 10 && consumed(a) + consumed(b) == consumedBefore; round++) {
                    Set<String> ids = new HashSet<>();
                    for (int i = 0; i < 5; i++) {
                        String id = "r-" + round + "-" + i;
                        a.publish("websocket.acme.refuse.chats", "{\"event_id\":\"" + id + "\"}");
                        ids.add(id);
                    }
                    published.addAll(ids);
                    Set<String> onBSeen = new HashSet<>();
                    for (int i = 0; i < 5; i++) {
                        onBSeen.add(onB.next(Duration.ofSeconds(10)).path("payload").path("event_id").asText());
                    }
                    assertEquals(ids, onBSeen, "the healthy pod must not wait for the refusing one");
                }
                assertTrue(consumed(a) + consumed(b) > consumedBefore,
                        "in 10 rounds pod-c consumed every event itself; nothing was forwarded to it");
            } finally {
                ClusterParts parts = c.relaymesh().component().cluster().get();
                holder.set(parts.startGrpcServer(port));
            }
            Set<String> onCSeen = new HashSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (onCSeen.size() < published.size() && System.nanoTime() < deadline) {
                JsonNode frame = onC.poll(Duration.ofSeconds(1));
                if (frame != null) {
                    onCSeen.add(frame.path("payload").path("event_id").asText());
                }
            }
            assertEquals(published, onCSeen, "no event may be lost for a socket that stayed connected");
            String metrics = a.get("/metrics").body() + b.get("/metrics").body();
            assertTrue(metrics.contains("relaymesh_stream_events_total{outcome=\"naked\"}"), metrics);
            assertTrue(metrics.contains("relaymesh_grpc_forward_latency_seconds_count{peer=\"pod-c\"}")
                    || metrics.contains("relaymesh_grpc_forward_failures_total{peer=\"pod-c\"}"), metrics);
        }
    }

    @Test
    void malformedStreamMessage_isTerminated_andCounted() throws Exception {
        try (io.nats.client.Connection raw = io.nats.client.Nats.connect(nats.url())) {
            raw.jetStream().publish("websocket.acme.bad.chats", "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        GatewayHarness.eventually(Duration.ofSeconds(10), "terminated counted on some pod", () -> {
            for (GatewayHarness pod : new GatewayHarness[]{a, b, c}) {
                if (pod.get("/metrics").body().contains("relaymesh_stream_events_total{outcome=\"terminated\"} 1.0")) {
                    return true;
                }
            }
            return false;
        });
    }

    @Test
    void killedPeer_stopsCounting_andEventsKeepFlowingToTheOthers() throws Exception {
        int port = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(JarProcess.keyedEnv(port));
        env.putAll(GatewayHarness.clusterEnv("pod-doomed", redis.address(), nats.url()));
        try (JarProcess doomed = JarProcess.start(port, env, 0).awaitUp();
             WsClient onB = b.user("acme", "kill", "bob")) {
            WsClient onDoomed = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/acme/kill?token="
                    + GatewayHarness.q(b.userToken("acme", "kill", "victim", 600)) + "&x-api-key="
                    + GatewayHarness.q(GatewayHarness.GENERAL_KEY)));
            onDoomed.expectReady();
            doomed.process.destroyForcibly();
            doomed.process.waitFor();
            onDoomed.close();

            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                a.publish("websocket.acme.kill.chats", "{\"event_id\":\"k-" + i + "\"}");
            }
            Set<String> seen = new HashSet<>();
            while (seen.size() < 20) {
                seen.add(onB.next(Duration.ofSeconds(15)).path("payload").path("event_id").asText());
            }
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(millis < 10_000, "20 events took " + millis + " ms with a dead peer");
            GatewayHarness.eventually(Duration.ofSeconds(10), "dead pod gone from the directory",
                    () -> !b.relaymesh().component().podDirectory().livePods()
                            .contains(new io.relaymesh.domain.model.PodId("pod-doomed")));
        }
    }

    /** Events this pod consumed from JetStream, from its /metrics. */
    private static double consumed(GatewayHarness pod) throws Exception {
        String prefix = "relaymesh_stream_events_total{outcome=\"consumed\"} ";
        for (String line : pod.get("/metrics").body().split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(prefix.length()).trim());
            }
        }
        return 0;
    }
}
