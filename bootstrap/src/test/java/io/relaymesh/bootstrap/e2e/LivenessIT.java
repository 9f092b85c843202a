package io.relaymesh.bootstrap.e2e;

import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ping/pong and the Helidon failure modes: a client that vanishes without a close frame is
 * cleaned up by the pong deadline or the first failed send (Helidon calls no onClose then), and
 * clients that only receive are not cut by the idle timeout.
 */
class LivenessIT {
    private static GatewayHarness gw;

    @BeforeAll
    static void start() {
        // Ping every second, drop after 3 silent seconds; Helidon's idle timeout follows (see WebModule).
        gw = GatewayHarness.start(Map.of(
                "RELAYMESH_APP_PING_INTERVAL_SECONDS", "1",
                "RELAYMESH_APP_PONG_WAIT_SECONDS", "3",
                "RELAYMESH_APP_TTL_REFRESH_INTERVAL_SECONDS", "1"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private String path(String agent, String user) {
        return "/ws/acme/" + agent + "?token=" + GatewayHarness.q(gw.userToken("acme", agent, user, 600))
                + "&x-api-key=" + GatewayHarness.q(GatewayHarness.GENERAL_KEY);
    }

    private boolean routeGone(String agent) {
        return gw.relaymesh().component().routeRegistry().lookup(List.of(RouteKey.agent("acme", agent)))
                .values().stream().allMatch(Set::isEmpty);
    }

    private boolean lockGone(String agent, String user) {
        return gw.relaymesh().component().sessionLocks()
                .owner(new SessionKey("session:acme:" + agent + ":" + user)).isEmpty();
    }

    @Test
    void appLevelPing_isAnsweredWithPong() {
        try (WsClient c = gw.user("acme", "live", "pinger")) {
            c.send("{\"type\":\"ping\"}");
            assertEquals("pong", c.next().path("type").asText());
        }
    }

    @Test
    void serverSendsWebSocketPings_andAnswersClientPings() throws InterruptedException {
        try (WsClient c = gw.user("acme", "live", "pings")) {
            c.ping();
            GatewayHarness.eventually(Duration.ofSeconds(3), "pong for our ping", () -> c.pongs.get() >= 1);
            GatewayHarness.eventually(Duration.ofSeconds(4), "server pings", () -> c.pings.get() >= 2);
        }
    }

    @Test
    void silentClient_isDroppedAtThePongDeadline_andItsSessionAndRouteReleased() throws Exception {
        try (RawWsClient silent = new RawWsClient("127.0.0.1", gw.port(), path("silent", "ghost"))) {
            assertEquals("ready", GatewayHarness.json(silent.readText()).path("type").asText());
            assertFalse(lockGone("silent", "ghost"));
            // The raw client never answers the server's pings: after pong_wait it must be dropped.
            GatewayHarness.eventually(Duration.ofSeconds(8), "silent client's lock released",
                    () -> lockGone("silent", "ghost"));
            assertTrue(routeGone("silent"), "route must go with the connection");
        }
    }

    @Test
    void vanishedClient_isCleanedUpByTheFirstFailedSend() throws Exception {
        RawWsClient gone = new RawWsClient("127.0.0.1", gw.port(), path("vanish", "ghost"));
        assertEquals("ready", GatewayHarness.json(gone.readText()).path("type").asText());
        gone.vanish();
        // Well before the pong deadline, a delivery hits the reset socket and cleans up.
        for (int i = 0; i < 20 && !lockGone("vanish", "ghost"); i++) {
            gw.publish("websocket.acme.vanish.chats", "{\"event_id\":\"v" + i + "\"}");
            Thread.sleep(50);
        }
        GatewayHarness.eventually(Duration.ofMillis(1500), "vanished client's lock released",
                () -> lockGone("vanish", "ghost"));
        assertTrue(routeGone("vanish"));
    }

    @Test
    void pushOnlyClient_staysConnectedPastTheIdleTimeout() throws InterruptedException {
        // Idle timeout here is 3 x pong_wait = 9 s, checked every 3 s; the client never sends a frame
        // of its own (the JDK client answers pings automatically), it only receives.
        try (WsClient c = gw.user("acme", "push", "reader")) {
            long end = System.nanoTime() + Duration.ofSeconds(12).toNanos();
            int i = 0;
            while (System.nanoTime() < end) {
                gw.publish("websocket.acme.push.chats", "{\"event_id\":\"p" + i + "\"}");
                assertEquals("p" + i, c.next().path("payload").path("event_id").asText());
                i++;
                Thread.sleep(500);
            }
            assertFalse(c.isClosed(), "a receiving client must not be cut off");
        }
    }

    @Test
    void connectedClient_isClosedWith4403_whenItsTokenExpires() {
        String token = gw.userToken("acme", "expiry", "brief", 2);
        try (WsClient c = WsClient.connect(gw.userUri("acme", "expiry", token))) {
            c.expectReady();
            c.expectErrorAndClose("InvalidToken", 4403);
        }
    }
}
