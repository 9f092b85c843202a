package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading must never delay the others; its frames are dropped or it is closed.
 * The policy acts once its socket has taken no data for the stall timeout, set short here so that
 * it acts within the few hundred milliseconds the events take to publish.
 */
class BackpressureIT {
    private static final int EVENTS = 300;
    private static final String STALL_TIMEOUT_MS = "50";
    private static final String PAD = "x".repeat(16 * 1024);

    @Test
    void slowClient_doesNotDelayFastClient_underDropOldest() throws Exception {
        try (GatewayHarness gw = GatewayHarness.start(Map.of("RELAYMESH_APP_WEBSOCKET_MESSAGE_BUFFER_SIZE", "16",
                "RELAYMESH_APP_WEBSOCKET_STALL_TIMEOUT_MS", STALL_TIMEOUT_MS));
             RawWsClient slow = new RawWsClient("127.0.0.1", gw.port(),
                     "/ws/acme/bp/?".replace("/?", "?") + "token=" + GatewayHarness.q(
                             gw.userToken("acme", "bp", "slow", 600)) + "&x-api-key="
                             + GatewayHarness.q(GatewayHarness.GENERAL_KEY), 4096);
             WsClient fast = gw.user("acme", "bp", "fast")) {
            assertEquals("ready", GatewayHarness.json(slow.readText()).path("type").asText());
            // From here on the slow client reads nothing: its socket buffers fill, then its queue.
            long start = System.nanoTime();
            for (int i = 0; i < EVENTS; i++) {
                gw.publish("websocket.acme.bp.chats", "{\"event_id\":\"e" + i + "\",\"pad\":\"" + PAD + "\"}");
            }
            for (int i = 0; i < EVENTS; i++) {
                JsonNode frame = fast.next(Duration.ofSeconds(10));
                assertEquals("e" + i, frame.path("payload").path("event_id").asText(), "fast client order");
            }
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(millis < 15_000, "fast client took " + millis + " ms for " + EVENTS + " events");
            String metrics = gw.get("/metrics").body();
            double dropped = metricValue(metrics, "relaymesh_websocket_messages_dropped_total{reason=\"drop_oldest\"}");
            assertTrue(dropped > 0, "the slow client's oldest frames must have been dropped and counted");
        }
    }

    @Test
    void slowClient_isClosedAsSlowConsumer_underBlock() throws Exception {
        try (GatewayHarness gw = GatewayHarness.start(Map.of(
                "RELAYMESH_APP_WEBSOCKET_MESSAGE_BUFFER_SIZE", "8",
                "RELAYMESH_APP_WEBSOCKET_BACKPRESSURE_DROP_POLICY", "block",
                "RELAYMESH_APP_WEBSOCKET_BLOCK_TIMEOUT_MS", "100",
                "RELAYMESH_APP_WEBSOCKET_STALL_TIMEOUT_MS", STALL_TIMEOUT_MS));
             WsClient slow = WsClient.connectManual(gw.userUri("acme", "block", gw.userToken("acme", "block", "slow",
                     600)));
             WsClient fast = gw.user("acme", "block", "fast")) {
            slow.request(1);
            // Loopback socket buffers grow with load (kernel auto-tuning): how many 16 KB frames they
            // absorb before the slow client's queue fills varies, so rounds of EVENTS go out until
            // it is cut, at most four (over 19 MB unread: far past any socket buffer).
            double cut = 0;
            for (int round = 0; round < 4 && cut < 1; round++) {
                for (int i = 0; i < EVENTS; i++) {
                    gw.publish("websocket.acme.block.chats", "{\"event_id\":\"r" + round + "e" + i + "\",\"pad\":\""
                            + PAD + "\"}");
                }
                for (int i = 0; i < EVENTS; i++) {
                    assertEquals("r" + round + "e" + i,
                            fast.next(Duration.ofSeconds(10)).path("payload").path("event_id").asText());
                }
                cut = metricValue(gw.get("/metrics").body(),
                        "relaymesh_websocket_messages_dropped_total{reason=\"slow_consumer\"}");
            }
            assertTrue(cut >= 1, "the slow consumer must be detected and counted");
            GatewayHarness.eventually(Duration.ofSeconds(5), "slow connection removed",
                    () -> gw.relaymesh().component().hub().size() == 1);
        }
    }

    static double metricValue(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no series " + series + " in:\n" + scrape);
    }
}
