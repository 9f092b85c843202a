package io.relaymesh.bootstrap.e2e;

import io.relaymesh.domain.model.SessionKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One session per user: a newer connection takes over and the older one is told why. */
class SessionTakeoverIT {
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
    void secondConnectionForSameUser_closesFirstWith4402() {
        try (WsClient first = gw.user("acme", "takeover", "alice");
             WsClient second = gw.user("acme", "takeover", "alice")) {
            first.expectErrorAndClose("SessionConflict", 4402);
            assertFalse(second.isClosed());
            gw.publish("websocket.acme.takeover.chats", "{\"event_id\":\"t-1\"}");
            assertEquals("t-1", second.next().path("payload").path("event_id").asText());
            var owner = gw.relaymesh().component().sessionLocks()
                    .owner(new SessionKey("session:acme:takeover:alice")).orElseThrow();
            assertEquals("e2e-pod", owner.pod().value());
        }
    }

    @Test
    void differentUsersOfOneAgent_keepTheirOwnSessions() {
        try (WsClient alice = gw.user("acme", "takeover2", "alice");
             WsClient bob = gw.user("acme", "takeover2", "bob")) {
            assertNull(alice.poll(Duration.ofMillis(300)));
            assertFalse(alice.isClosed());
            assertFalse(bob.isClosed());
        }
    }

    @Test
    void secondAdminConnection_takesOverTheFirst() {
        try (WsClient first = gw.admin("root", null, null, null);
             WsClient second = gw.admin("root", null, null, null)) {
            first.expectErrorAndClose("SessionConflict", 4402);
            gw.publish("websocket.acme.any.agents", "{\"event_id\":\"t-2\"}");
            assertEquals("t-2", second.next().path("payload").path("event_id").asText());
        }
    }

    @Test
    void takenOverConnection_receivesNoFurtherEvents_andItsSelectedChatIsReleased() {
        WsClient first = gw.user("acme", "takeover3", "carol");
        first.send("{\"type\":\"select_chat\",\"payload\":{\"chat_id\":\"c1\"}}");
        first.send("{\"type\":\"ping\"}");
        first.next();
        try (WsClient second = gw.user("acme", "takeover3", "carol")) {
            first.expectErrorAndClose("SessionConflict", 4402);
            assertEquals(0, gw.publish("websocket.acme.takeover3.messages.c1", "{\"event_id\":\"t-3\"}")
                    .path("delivered").asInt(), "the old connection's chat route must be gone");
            assertTrue(second.poll(Duration.ofMillis(200)) == null);
        } finally {
            first.close();
        }
    }

    @Test
    void closingTheOnlyConnection_releasesSessionAndRoute() {
        WsClient alice = gw.user("acme", "release", "alice");
        alice.close();
        SessionKey key = new SessionKey("session:acme:release:alice");
        GatewayHarness.eventually(Duration.ofSeconds(3), "lock released",
                () -> gw.relaymesh().component().sessionLocks().owner(key).isEmpty());
        GatewayHarness.eventually(Duration.ofSeconds(3), "route removed",
                () -> gw.relaymesh().component().routeRegistry()
                        .lookup(java.util.List.of(io.relaymesh.domain.model.RouteKey.agent("acme", "release")))
                        .values().stream().allMatch(java.util.Set::isEmpty));
    }
}
