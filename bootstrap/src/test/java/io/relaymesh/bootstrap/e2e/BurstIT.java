package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.api.PublishAck;
import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bursts against two real pods on real Redis and NATS JetStream. A client that reads gets every
 * event of a burst, however much faster the events arrive than one socket write; only a client that
 * stops reading meets the back-pressure policy, and it is cut with 1008 while the others keep
 * getting their events in time.
 */
@ExtendWith(RealServices.class)
class BurstIT {
    private static final int BURST = 1_000;
    private static final int ROUNDS = 5;
    /**
     * Events published at a steady pace (2 MB/s) while a client stops reading, ~16 KB each: 9.8 MB
     * in all, past what the kernel holds for a socket nobody reads (~3 MB here) and the hard limit.
     */
    private static final int STALL_EVENTS = 600;
    private static final long STALL_SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(8);
    private static final String PAD = ",\"pad\":\"" + "x".repeat(16 * 1024) + "\"";
    /**
     * Latency a reading client may see while another one on its pod stops reading: the median (a
     * delivery path held up by the stalled socket would raise every event's), and the worst (a
     * loaded 2-core machine pauses now and then, but not for seconds).
     */
    private static final long MEDIAN_FAST_LATENCY_MILLIS = 250;
    private static final long MAX_FAST_LATENCY_MILLIS = 5_000;
    private static RedisServer redis;
    private static NatsServer nats;
    private static Connection publisher;
    private static final ExecutorService READERS = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeAll
    static void start() throws Exception {
        redis = RealServices.newRedis();
        nats = RealServices.newNats();
        publisher = Nats.connect(nats.url());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        READERS.shutdownNow();
        if (publisher != null) {
            publisher.close();
        }
        nats.close();
        redis.close();
    }

    @Test
    void thousandEventsBackToBack_reachAReadingClientOnEachOfTwoPods_wholeInEveryRound_withNothingDropped()
            throws Exception {
        try (Pods pods = Pods.start("burst", Map.of());
             WsClient onA = pods.a().user("c1", "burst", "alice");
             WsClient onB = pods.b().user("c1", "burst", "bob")) {
            for (int round = 0; round < ROUNDS; round++) {
                String prefix = "b" + round + "-";
                CompletableFuture<Map<String, Long>> gotA = collect(onA, prefix, BURST);
                CompletableFuture<Map<String, Long>> gotB = collect(onB, prefix, BURST);

                publish("websocket.c1.burst.chats", prefix, BURST, "", 0);

                int a = gotA.get(90, TimeUnit.SECONDS).size();
                int b = gotB.get(90, TimeUnit.SECONDS).size();
                assertEquals(BURST, a, "round " + round + ": pod-a's client got " + a + " of " + BURST
                        + "; dropped " + dropCounts(pods.a()));
                assertEquals(BURST, b, "round " + round + ": pod-b's client got " + b + " of " + BURST
                        + "; dropped " + dropCounts(pods.b()));
            }
            for (GatewayHarness pod : List.of(pods.a(), pods.b())) {
                assertEquals(Map.of("drop_oldest", 0.0, "slow_consumer", 0.0, "backlog_limit", 0.0, "closed", 0.0),
                        dropCounts(pod), "frames dropped on a pod whose clients read");
                GatewayHarness.eventually(Duration.ofSeconds(10), "every frame written: no backlog left",
                        () -> BackpressureIT.metricValue(pod.get("/metrics").body(),
                                "relaymesh_websocket_backlog_bytes") == 0.0);
            }
        }
    }

    @Test
    void clientThatStopsReading_underBlock_isCutWith1008_whileReadingClientsGetEveryEventInTime() throws Exception {
        Cut cut = stallOneClient("block", Map.of(
                "RELAYMESH_APP_WEBSOCKET_BACKPRESSURE_DROP_POLICY", "block",
                "RELAYMESH_APP_WEBSOCKET_MESSAGE_BUFFER_SIZE", "16",
                "RELAYMESH_APP_WEBSOCKET_STALL_TIMEOUT_MS", "300",
                "RELAYMESH_APP_WEBSOCKET_BLOCK_TIMEOUT_MS", "100"), "slow_consumer");

        assertEquals(1008, cut.code());
        assertEquals("SlowConsumer", cut.reason());
        assertTrue(cut.error().contains("\"code\":\"SlowConsumer\""), cut.error());
    }

    @Test
    void clientThatStopsReading_pastTheHardByteLimit_isCutWith1008NamingIt_whileReadingClientsGetEveryEventInTime()
            throws Exception {
        // drop_oldest with a buffer size no backlog reaches: only the hard byte limit can cut the client.
        Cut cut = stallOneClient("hard", Map.of(
                "RELAYMESH_APP_WEBSOCKET_MESSAGE_BUFFER_SIZE", "1000000",
                "RELAYMESH_APP_WEBSOCKET_HARD_BACKLOG_BYTES", "4194304"), "backlog_limit");

        assertEquals(1008, cut.code());
        assertEquals("SlowConsumer (app.websocket_hard_backlog_bytes)", cut.reason());
        assertTrue(cut.error().contains("app.websocket_hard_backlog_bytes (4194304)"), cut.error());
    }

    /**
     * How a stalled client was cut: its close code and reason, the error frame before them, and the
     * event frames it could still read (those the kernel held, and the write in flight).
     */
    private record Cut(int code, String reason, String error, int eventsHeld) {
    }

    /**
     * Two pods with {@code env}, a client on pod-a that reads its ready frame and then nothing, and
     * a reading client on each pod, all on one agent. Events of ~16 KB are published at a steady
     * pace; the reading clients must get every one in time, and pod-a must cut the stalled client,
     * counting {@code reason}. The stalled client then reads again to see the close.
     */
    private Cut stallOneClient(String agent, Map<String, String> env, String reason) throws Exception {
        try (Pods pods = Pods.start(agent, env);
             WsClient onA = pods.a().user("c1", agent, "reader-a");
             WsClient onB = pods.b().user("c1", agent, "reader-b")) {
            warmUp(agent, onA, onB);
            try (RawWsClient stalled = new RawWsClient("127.0.0.1", pods.a().port(), "/ws/c1/" + agent + "?token="
                    + GatewayHarness.q(pods.a().userToken("c1", agent, "stalled", 600)) + "&x-api-key="
                    + GatewayHarness.q(GatewayHarness.GENERAL_KEY), 4096)) {
                assertEquals("ready", GatewayHarness.json(stalled.readText()).path("type").asText());
                return stall(pods, agent, reason, stalled, onA, onB);
            }
        }
    }

    /**
     * Sends events like the measured ones through both pods until each reader has them all, so that
     * the measured part starts on a warm path: the first forward to a peer opens its channel (issue
     * 12's cold forwarding, measured elsewhere), and the JIT has seen these frames.
     */
    private static void warmUp(String agent, WsClient onA, WsClient onB) throws Exception {
        int count = 100;
        CompletableFuture<Map<String, Long>> gotA = collect(onA, "w-", count);
        CompletableFuture<Map<String, Long>> gotB = collect(onB, "w-", count);
        publish("websocket.c1." + agent + ".chats", "w-", count, PAD, STALL_SPACING_NANOS);
        assertEquals(count, gotA.get(90, TimeUnit.SECONDS).size(), "warm-up events on pod-a");
        assertEquals(count, gotB.get(90, TimeUnit.SECONDS).size(), "warm-up events on pod-b");
    }

    /** The measured part: events at a steady pace while {@code stalled} reads nothing until it is cut. */
    private Cut stall(Pods pods, String agent, String reason, RawWsClient stalled, WsClient onA, WsClient onB)
            throws Exception {
        CompletableFuture<Cut> cut = CompletableFuture.supplyAsync(() -> awaitCut(pods.a(), reason, stalled),
                READERS);
        CompletableFuture<Map<String, Long>> gotA = collect(onA, "s-", STALL_EVENTS);
        CompletableFuture<Map<String, Long>> gotB = collect(onB, "s-", STALL_EVENTS);

        publish("websocket.c1." + agent + ".chats", "s-", STALL_EVENTS, PAD, STALL_SPACING_NANOS);

        for (var got : List.of(gotA, gotB)) {
            Map<String, Long> latencies = got.get(90, TimeUnit.SECONDS);
            assertEquals(STALL_EVENTS, latencies.size(), "a reading client missed events while another stalled;"
                    + " dropped on pod-a " + dropCounts(pods.a()) + ", on pod-b " + dropCounts(pods.b()));
            List<Long> sorted = latencies.values().stream().sorted().toList();
            long median = sorted.get(sorted.size() / 2);
            long max = sorted.getLast();
            assertTrue(median < MEDIAN_FAST_LATENCY_MILLIS && max < MAX_FAST_LATENCY_MILLIS, "a reading client"
                    + " waited " + median + " ms (median), " + max + " ms (worst) for events while another stalled");
        }
        Cut result = cut.get(60, TimeUnit.SECONDS);
        System.out.println("BurstIT " + agent + ": the stalled client was cut with " + result.code() + " after "
                + result.eventsHeld() + " events it could still read; reading clients' latency (median/worst) "
                + summary(gotA.get()) + " ms on pod-a, " + summary(gotB.get()) + " ms on pod-b");
        assertEquals(0.0, dropCounts(pods.b()).get(reason), "pod-b has no stalled client");
        return result;
    }

    /**
     * Waits (bounded) until {@code pod} counts a frame dropped for {@code reason}, then reads the
     * stalled client's socket until the close frame: the frames the kernel held, the error frame,
     * the close. It must read within the close-write deadline, so it polls often.
     */
    private static Cut awaitCut(GatewayHarness pod, String reason, RawWsClient stalled) {
        GatewayHarness.eventually(Duration.ofSeconds(60), "pod-a cut the stalled client (" + reason + ")",
                () -> dropCounts(pod).get(reason) >= 1);
        try {
            stalled.readTimeout(5_000);
            String lastText = "";
            int events = 0;
            for (int i = 0; i < 100_000; i++) {
                RawWsClient.Frame frame = stalled.read();
                if (frame.opcode() == 1) {
                    lastText = frame.text();
                    events += lastText.startsWith("{\"type\":\"event\"") ? 1 : 0;
                } else if (frame.opcode() == 8) {
                    byte[] p = frame.payload();
                    int code = p.length >= 2 ? (p[0] & 0xFF) << 8 | (p[1] & 0xFF) : -1;
                    String closeReason = p.length > 2 ? new String(p, 2, p.length - 2, StandardCharsets.UTF_8) : "";
                    return new Cut(code, closeReason, lastText, events);
                }
            }
            throw new AssertionError("no close frame in 100,000 frames");
        } catch (IOException e) {
            throw new AssertionError("the stalled client's socket ended without a close frame", e);
        }
    }

    /**
     * Reads {@code client}'s event frames whose event_id starts with {@code prefix} until it has
     * {@code count} distinct ones (or 60 s passed); returns each one's latency from its sent_at.
     */
    private static CompletableFuture<Map<String, Long>> collect(WsClient client, String prefix, int count) {
        return CompletableFuture.supplyAsync(() -> {
            Map<String, Long> latencies = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (latencies.size() < count && System.nanoTime() < deadline) {
                JsonNode frame = client.poll(Duration.ofMillis(200));
                if (frame == null) {
                    continue;
                }
                if (!"event".equals(frame.path("type").asText())) {
                    throw new AssertionError("a reading client got " + frame + " after " + latencies.size()
                            + " events");
                }
                JsonNode payload = frame.path("payload");
                String id = payload.path("event_id").asText();
                if (id.startsWith(prefix)) {
                    latencies.putIfAbsent(id, System.currentTimeMillis() - payload.path("sent_at").asLong());
                }
            }
            return latencies;
        }, READERS);
    }

    /**
     * Publishes {@code count} events to JetStream, one every {@code spacingNanos} (0: back to back,
     * every publish in flight at once), and waits for every acknowledgement.
     */
    private static void publish(String subject, String prefix, int count, String pad, long spacingNanos)
            throws Exception {
        JetStream js = publisher.jetStream();
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>(count);
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (spacingNanos > 0) {
                next += spacingNanos;
                LockSupport.parkNanos(next - System.nanoTime());
            }
            String payload = "{\"event_id\":\"" + prefix + i + "\",\"sent_at\":" + System.currentTimeMillis() + pad + "}";
            acks.add(js.publishAsync(subject, payload.getBytes(StandardCharsets.UTF_8)));
        }
        for (CompletableFuture<PublishAck> ack : acks) {
            ack.get(30, TimeUnit.SECONDS);
        }
    }

    private static String summary(Map<String, Long> latencies) {
        List<Long> sorted = latencies.values().stream().sorted().toList();
        return sorted.get(sorted.size() / 2) + "/" + sorted.getLast();
    }

    /** The pod's relaymesh_websocket_messages_dropped_total by reason. */
    private static Map<String, Double> dropCounts(GatewayHarness pod) {
        String scrape = pod.get("/metrics").body();
        Map<String, Double> counts = new HashMap<>();
        for (String reason : List.of("drop_oldest", "slow_consumer", "backlog_limit", "closed")) {
            counts.put(reason, BackpressureIT.metricValue(scrape,
                    "relaymesh_websocket_messages_dropped_total{reason=\"" + reason + "\"}"));
        }
        return counts;
    }

    /** Two cluster pods on the shared Redis and NATS, closed together. */
    private record Pods(GatewayHarness a, GatewayHarness b) implements AutoCloseable {
        static Pods start(String name, Map<String, String> env) {
            GatewayHarness a = GatewayHarness.pod(name + "-a", redis.address(), nats.url(), env);
            try {
                return new Pods(a, GatewayHarness.pod(name + "-b", redis.address(), nats.url(), env));
            } catch (RuntimeException e) {
                a.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                b.close();
            } finally {
                a.close();
            }
        }
    }
}
