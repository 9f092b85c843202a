package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, cluster: two real jars on real Redis (the topics' Redis Streams) and NATS JetStream.
 * A producer on pod A reaches a WebSocket subscriber on pod B and a long-poll waiting on pod A;
 * a client id that comes back on the other pod gets what it missed, once and in order; a backend's
 * {@code topics.{topic}} event goes through JetStream and is kept too; refusals store nothing.
 */
@ExtendWith(RealServices.class)
class TopicsClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static RedisServer redis;
    private static NatsServer nats;
    private static JarProcess podA;
    private static JarProcess podB;
    private static TopicsHttp a;
    private static TopicsHttp b;

    @BeforeAll
    static void start() throws Exception {
        redis = RealServices.newRedis();
        nats = RealServices.newNats();
        podA = pod("pod-topics-a");
        podB = pod("pod-topics-b");
        a = new TopicsHttp(podA.port);
        b = new TopicsHttp(podB.port);
    }

    private static JarProcess pod(String id) throws Exception {
        int port = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(JarProcess.safeEnv(port));
        env.putAll(GatewayHarness.clusterEnv(id, redis.address(), nats.url()));
        env.put("RELAYMESH_DIALECTS_TOPICS_MAX_PAYLOAD_BYTES", "1024");
        return JarProcess.start(port, TopicsHttp.env(env, Map.of()), 0).awaitUp();
    }

    @AfterAll
    static void stop() throws Exception {
        for (JarProcess pod : new JarProcess[]{podA, podB}) {
            if (pod != null) {
                pod.close();
            }
        }
        nats.close();
        redis.close();
    }

    private static WsClient subscriber(TopicsHttp pod, String user, String clientId, String topic) {
        WsClient ws = WsClient.connect(pod.ws("/topics/ws?token=" + TopicsHttp.jwt(user)));
        ws.send("{\"type\":\"subscribe\",\"topics\":[\"" + topic + "\"],\"client_id\":\"" + clientId + "\"}");
        JsonNode subscribed = ws.next(WAIT);
        assertEquals("subscribed", subscribed.path("type").asText(), subscribed.toString());
        return ws;
    }

    @Test
    void aProducerOnPodA_reachesASocketOnPodB_andALongPollWaitingOnPodA_andAComebackOnPodAGetsWhatItMissed() {
        String pollToken = TopicsHttp.jwt("poller");
        a.poll(pollToken, "cluster", 0, "p1"); // the long-poll consumer starts now
        List<String> acked = new ArrayList<>();
        try (WsClient onB = subscriber(b, "ivy", "ivy-laptop", "cluster")) {
            CompletableFuture<TopicsHttp.Answer> waiting = CompletableFuture.supplyAsync(
                    () -> a.poll(pollToken, "cluster", 30, "p1"));
            GatewayHarness.eventually(WAIT, "the poll waits on pod A", () -> podA.get("/metrics")
                    .contains("relaymesh_topics_polls_waiting{dialect=\"topics\"} 1.0"));
            long published = System.nanoTime();
            TopicsHttp.Answer one = a.publish("cluster", "{\"n\":1}");
            JsonNode message = onB.next(WAIT);
            assertEquals(one.body().path("message_id").asText(), message.path("message_id").asText());
            assertEquals(1, message.path("payload").path("n").asInt());
            TopicsHttp.Answer woke = waiting.join();
            long wokeAfter = (System.nanoTime() - published) / 1_000_000;
            assertEquals(List.of("1"), TopicsHttp.payloadsOf(woke, "n"));
            assertTrue(wokeAfter < 1000, "the long-poll on pod A answered " + wokeAfter + " ms after the publish");

            TopicsHttp.Answer bulk = a.post("/api/v1/messages/bulk", TopicsHttp.PUBLISHING_KEY,
                    "{\"messages\":[{\"topic\":\"cluster\",\"payload\":{\"n\":2}},{\"topic\":\"cluster\",\"payload\":{\"n\":3}}]}");
            assertEquals(2, bulk.body().path("accepted").asInt(), bulk.text());
            for (int n = 2; n <= 3; n++) {
                JsonNode m = onB.next(WAIT);
                assertEquals(n, m.path("payload").path("n").asInt(), "publish order: " + m);
                acked.add(m.path("message_id").asText());
            }
            onB.send("{\"type\":\"ack\",\"message_ids\":" + WsClient.JSON.valueToTree(acked) + "}");
            onB.send("{\"type\":\"ack\",\"message_id\":\"" + message.path("message_id").asText() + "\"}");
            onB.send("{\"type\":\"ping\"}");
            assertEquals("pong", onB.next(WAIT).path("type").asText(), "acks have no answer");

            TopicsHttp.Answer pollAck = a.ack(pollToken, "p1", TopicsHttp.idsOf(woke));
            assertEquals(1, pollAck.body().path("acknowledged").asInt(), pollAck.text());
            assertEquals(List.of("2", "3"), TopicsHttp.payloadsOf(b.poll(pollToken, "cluster", 0, "p1"), "n"),
                    "the same long-poll consumer on pod B: what it has not acked, from Redis");
        }
        a.publish("cluster", "{\"n\":4}");
        b.publish("cluster", "{\"n\":5}");
        try (WsClient onA = subscriber(a, "ivy", "ivy-laptop", "cluster")) {
            assertEquals(4, onA.next(WAIT).path("payload").path("n").asInt());
            assertEquals(5, onA.next(WAIT).path("payload").path("n").asInt());
            assertNull(onA.poll(Duration.ofMillis(500)), "acked ones are not sent again, missed ones once");
            b.publish("cluster", "{\"n\":6}");
            assertEquals(6, onA.next(WAIT).path("payload").path("n").asInt(), "then live, published on the other pod");
        }
    }

    @Test
    void aBackendsTopicsSubject_goesThroughJetStream_toSocketsOnEitherPod_andIsKept() {
        try (WsClient onA = subscriber(a, "jack", "jack-1", "jetstream")) {
            TopicsHttp.Answer published = b.post("/api/v1/publish", null,
                    "{\"subject\":\"topics.jetstream\",\"payload\":{\"event_id\":\"js-1\",\"n\":1}}",
                    "X-API-Key", GatewayHarness.ADMIN_KEY);
            assertEquals(200, published.status(), published.text());
            JsonNode m = onA.next(WAIT);
            assertEquals("js-1", m.path("message_id").asText());
            assertEquals("jetstream", m.path("topic").asText());
        }
        assertEquals(List.of("1"), TopicsHttp.payloadsOf(b.poll(TopicsHttp.jwt("jack"), "jetstream", 0, "jack-1"), "n"),
                "kept in Redis for the client id until acked");
        TopicsHttp.Answer tooBig = b.post("/api/v1/publish", null, "{\"subject\":\"topics.jetstream\",\"payload\":{\"x\":\""
                + "y".repeat(2000) + "\"}}", "X-API-Key", GatewayHarness.ADMIN_KEY);
        assertEquals(400, tooBig.status(), "the topics' payload limit applies to backends too: " + tooBig.text());
    }

    @Test
    void refusedPublishes_storeNothing_andALongPollTimesOutOnTime() {
        String token = TopicsHttp.jwt("kim");
        a.poll(token, "refused", 0, "k1");
        assertEquals(401, b.send("wrong-key-0123456789abcdef", "{\"topic\":\"refused\",\"payload\":{}}").status());
        assertEquals(413, b.send(TopicsHttp.PUBLISHING_KEY, "{\"topic\":\"refused\",\"payload\":\"" + "z".repeat(2000)
                + "\"}").status());
        assertEquals(400, b.send(TopicsHttp.PUBLISHING_KEY, "{\"topic\":\"re:fused\",\"payload\":{}}").status());
        TopicsHttp.Answer empty = a.poll(token, "refused", 1, "k1");
        assertEquals(List.of(), TopicsHttp.idsOf(empty), "nothing was stored");
        assertTrue(empty.millis() >= 500 && empty.millis() <= 2000, "empty at the 1 s timeout (± 1 s): " + empty.millis());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
