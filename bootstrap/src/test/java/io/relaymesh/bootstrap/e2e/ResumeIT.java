package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18, on real pods, Redis and JetStream: a client that reconnects with {@code since} (the
 * position of an event it saw) gets what it missed, after a ready that says {@code recovered}, and
 * before live events; standalone from the in-memory history, in cluster from the stream, also when
 * the pod it was on is killed mid-stream.
 */
@ExtendWith(RealServices.class)
class ResumeIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static RedisServer redis;
    private static NatsServer nats;

    @BeforeAll
    static void services() {
        redis = RealServices.newRedis();
        nats = RealServices.newNats();
    }

    @AfterAll
    static void stop() {
        redis.close();
        nats.close();
    }

    private static URI since(URI uri, String position) {
        return URI.create(uri + "&since=" + GatewayHarness.q(position));
    }

    /** The next event frame (skipping nothing else: the caller expects only events). */
    private static JsonNode event(WsClient client) {
        JsonNode frame = client.next(WAIT);
        assertEquals("event", frame.path("type").asText(), frame.toString());
        assertTrue(frame.path("position").isTextual(), "every event frame has a position: " + frame);
        return frame;
    }

    private static long sequence(JsonNode frame) {
        String position = frame.path("position").asText();
        return Long.parseLong(position.substring(position.lastIndexOf(':') + 1));
    }

    @Test
    void standalone_aClientBackWithSince_getsWhatItMissedThenLiveEvents_andARestartIsAGap() throws Exception {
        try (GatewayHarness gateway = GatewayHarness.start()) {
            String token = gateway.userToken("rs", "a1", "u1", 600);
            String last;
            try (WsClient client = WsClient.connect(gateway.userUri("rs", "a1", token))) {
                client.expectReady();
                gateway.publish("websocket.rs.a1.chats", "{\"event_id\":\"s-1\"}");
                last = event(client).path("position").asText();
            }
            for (int i = 2; i <= 4; i++) {
                gateway.publish("websocket.rs.a1.chats", "{\"event_id\":\"s-" + i + "\"}");
            }
            gateway.publish("websocket.rs.other.chats", "{\"event_id\":\"not-mine\"}");
            try (WsClient again = WsClient.connect(since(gateway.userUri("rs", "a1", token), last))) {
                JsonNode ready = again.next(WAIT);
                assertEquals("ready", ready.path("type").asText());
                assertTrue(ready.path("recovered").asBoolean(false), ready.toString());
                for (int i = 2; i <= 4; i++) {
                    assertEquals("s-" + i, event(again).path("payload").path("event_id").asText());
                }
                gateway.publish("websocket.rs.a1.chats", "{\"event_id\":\"s-5\"}");
                assertEquals("s-5", event(again).path("payload").path("event_id").asText(), "then live");

                // select_chat with since replays the chat's messages, and says so.
                gateway.publish("websocket.rs.a1.messages.ch1", "{\"event_id\":\"m-1\"}");
                again.send("{\"type\":\"select_chat\",\"payload\":{\"chat_id\":\"ch1\",\"since\":\"" + last + "\"}}");
                JsonNode selected = again.next(WAIT);
                assertEquals("chat_selected", selected.path("type").asText(), selected.toString());
                assertTrue(selected.path("payload").path("recovered").asBoolean(false));
                assertEquals("m-1", event(again).path("payload").path("event_id").asText());
            }
            try (WsClient plain = WsClient.connect(gateway.userUri("rs", "a1", token))) {
                JsonNode ready = plain.next(WAIT);
                assertFalse(ready.has("recovered"), "recovered appears only when since was given: " + ready);
            }
            // Another run of the gateway has another epoch: the old position is a gap, said plainly.
            try (GatewayHarness restarted = GatewayHarness.start();
                 WsClient back = WsClient.connect(since(restarted.userUri("rs", "a1",
                         restarted.userToken("rs", "a1", "u1", 600)), last))) {
                JsonNode ready = back.next(WAIT);
                assertEquals("ready", ready.path("type").asText());
                assertFalse(ready.path("recovered").asBoolean(true), ready.toString());
            }
        }
    }

    @Test
    void cluster_theClientsPodIsKilledMidStream_andOnAnotherPodItGetsEveryEventOnce() throws Exception {
        int total = 1000;
        int port = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(JarProcess.keyedEnv(port));
        env.putAll(GatewayHarness.clusterEnv("pod-resume-a", redis.address(), nats.url()));
        try (GatewayHarness b = GatewayHarness.pod("pod-resume-b", redis.address(), nats.url());
             JarProcess a = JarProcess.start(port, env, 0).awaitUp()) {
            String token = b.userToken("rk", "a1", "u1", 600);
            WsClient onA = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/rk/a1?token="
                    + GatewayHarness.q(token) + "&x-api-key=" + GatewayHarness.q(GatewayHarness.GENERAL_KEY)));
            onA.expectReady();
            AtomicInteger published = new AtomicInteger();
            Thread publisher = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < total; i++) {
                    b.publish("websocket.rk.a1.chats", "{\"event_id\":\"k-" + i + "\",\"n\":" + i + "}");
                    published.incrementAndGet();
                }
            });
            // What the client saw on A, in arrival order; then A dies with events still coming.
            List<JsonNode> seen = new ArrayList<>();
            while (seen.size() < 300) {
                seen.add(event(onA));
            }
            a.process.destroyForcibly();
            a.process.waitFor();
            onA.awaitClose(WAIT);
            // Resume from an event 20 back from the newest seen: a late event on A (one forwarded by
            // B just after a newer one A took itself) is not skipped; repeats are dropped by event_id.
            List<JsonNode> bySequence = new ArrayList<>(seen);
            bySequence.sort(java.util.Comparator.comparingLong(ResumeIT::sequence));
            String sinceAt = bySequence.get(bySequence.size() - 21).path("position").asText();

            Set<String> ids = new LinkedHashSet<>();
            int duplicates = 0;
            for (JsonNode frame : seen) {
                ids.add(frame.path("payload").path("event_id").asText());
            }
            try (WsClient onB = WsClient.connect(since(b.userUri("rk", "a1", token), sinceAt))) {
                JsonNode ready = onB.next(WAIT);
                assertEquals("ready", ready.path("type").asText());
                assertTrue(ready.path("recovered").asBoolean(false), "recovered: " + ready);
                long previous = 0;
                int outOfOrder = 0;
                while (ids.size() < total) {
                    JsonNode frame = event(onB);
                    if (!ids.add(frame.path("payload").path("event_id").asText())) {
                        duplicates++;
                    }
                    if (sequence(frame) < previous) {
                        outOfOrder++;
                    }
                    previous = Math.max(previous, sequence(frame));
                }
                publisher.join(Duration.ofSeconds(60));
                assertEquals(total, published.get());
                assertEquals(total, ids.size(), "every event arrived");
                // Repeats are expected and dropped by event_id (the 20 resumed over, and events B
                // could not forward to the dead A that JetStream redelivers): at-least-once.
                System.out.printf("resume after kill: %d events, %d seen on A, %d repeated on B (resumed 20 back),"
                        + " %d out of order on B%n", total, seen.size(), duplicates, outOfOrder);
            }
        }
    }

    @Test
    void cluster_aClientAwayLongerThanRetention_isToldRecoveredFalse() throws Exception {
        Map<String, String> extra = Map.of("RELAYMESH_NATS_STREAM_NAME", "resume_short",
                "RELAYMESH_NATS_CONSUMER_NAME", "resume_short", "RELAYMESH_NATS_STREAM_MAX_AGE_SECONDS", "1");
        // A NATS of its own: two streams on one server may not share the websocket.> subjects.
        NatsServer own = RealServices.newNats();
        try (GatewayHarness pod = GatewayHarness.pod("pod-retention", redis.address(), own.url(), extra)) {
            String token = pod.userToken("rt", "a1", "u1", 600);
            String last;
            try (WsClient client = WsClient.connect(pod.userUri("rt", "a1", token))) {
                client.expectReady();
                pod.publish("websocket.rt.a1.chats", "{\"event_id\":\"t-1\"}");
                last = event(client).path("position").asText();
            }
            pod.publish("websocket.rt.a1.chats", "{\"event_id\":\"t-2\"}");
            // t-2 ages out of the stream (max age 1 s): what the client missed is gone.
            GatewayHarness.eventually(Duration.ofSeconds(10), "t-2 expired from the stream", () -> {
                try (Connection raw = Nats.connect(own.url())) {
                    return raw.jetStreamManagement().getStreamInfo("resume_short").getStreamState().getMsgCount() == 0;
                } catch (Exception e) {
                    return false;
                }
            });
            try (WsClient back = WsClient.connect(since(pod.userUri("rt", "a1", token), last))) {
                JsonNode ready = back.next(WAIT);
                assertEquals("ready", ready.path("type").asText());
                assertFalse(ready.path("recovered").asBoolean(true), "t-2 is past retention: " + ready);
                assertEquals(null, back.poll(Duration.ofMillis(300)));
            }
        } finally {
            own.close();
        }
    }

    @Test
    void sighup_appliesNewStreamRetention_toTheLiveStream(@TempDir Path dir) throws Exception {
        int port = JarProcess.freePort();
        NatsServer own = RealServices.newNats();
        Map<String, String> env = new HashMap<>(JarProcess.keyedEnv(port));
        env.putAll(GatewayHarness.clusterEnv("pod-retention-reload", redis.address(), own.url()));
        env.put("RELAYMESH_NATS_STREAM_NAME", "resume_reload");
        env.put("RELAYMESH_NATS_CONSUMER_NAME", "resume_reload");
        Path file = Files.writeString(dir.resolve("relaymesh.yaml"),
                "nats:\n  stream_max_age_seconds: 3600\n  stream_max_bytes: 10000000\n");
        try (JarProcess jar = JarProcess.start(port, env, 0, "--config", file.toString()).awaitUp();
             Connection raw = Nats.connect(own.url())) {
            var config = raw.jetStreamManagement().getStreamInfo("resume_reload").getConfiguration();
            assertEquals(Duration.ofHours(1), config.getMaxAge());
            assertEquals(10_000_000L, config.getMaxBytes());

            Files.writeString(file, "nats:\n  stream_max_age_seconds: 7200\n  stream_max_bytes: 0\n");
            jar.hangUp();
            GatewayHarness.eventually(WAIT, "the stream has the new retention", () -> {
                try {
                    var now = raw.jetStreamManagement().getStreamInfo("resume_reload").getConfiguration();
                    return now.getMaxAge().equals(Duration.ofHours(2)) && now.getMaxBytes() == -1;
                } catch (Exception e) {
                    return false;
                }
            });
            GatewayHarness.eventually(WAIT, "the reload says what it applied",
                    () -> jar.output().contains("nats.stream_max_age_seconds: 3600 → 7200"));
        } finally {
            own.close();
        }
    }
}
