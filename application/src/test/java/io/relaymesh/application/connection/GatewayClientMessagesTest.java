package io.relaymesh.application.connection;

import io.relaymesh.application.fakes.Cluster;
import io.relaymesh.application.fakes.Pod;
import io.relaymesh.application.fakes.Principals;
import io.relaymesh.application.fakes.RecordingConnection;
import io.relaymesh.application.fakes.TestSettings;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames from clients: select_chat, ping, and the per-connection rate limit. */
class GatewayClientMessagesTest {
    private static final Principal.User ALICE = Principals.user("c1", "a1", "alice");
    private static final Principal.User BOB = Principals.user("c1", "a1", "bob");
    private static final RouteKey CHAT_1 = new RouteKey("chat:c1:a1:chat1");
    private static final RouteKey CHAT_2 = new RouteKey("chat:c1:a1:chat2");

    private final Cluster cluster = new Cluster();
    private final Pod pod = cluster.pod("pod-a");
    private final Gateway gateway = pod.gateway;

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    private Set<PodId> podsFor(RouteKey key) {
        return cluster.routes.lookup(List.of(key)).get(key);
    }

    private void selectChat(LocalSession session, String chatId) {
        assertInstanceOf(Gateway.Handled.Ok.class, gateway.handle(session, new ClientMessage.SelectChat(chatId)));
    }

    private static Gateway.Handled.Failed failed(Gateway.Handled handled) {
        return assertInstanceOf(Gateway.Handled.Failed.class, handled);
    }

    @Test
    void selectChat_registersTheChatRouteForThisPod() {
        LocalSession session = pod.open(ALICE);

        selectChat(session, "chat1");

        assertEquals(Set.of(pod.id), podsFor(CHAT_1));
        assertEquals(Optional.of(CHAT_1), session.selectedChat());
        assertEquals(List.of(session), List.copyOf(pod.hub.members(CHAT_1)));
    }

    @Test
    void selectingAnotherChat_replacesThePrevious_andUnregistersTheOldChatRoute() {
        LocalSession session = pod.open(ALICE);
        selectChat(session, "chat1");

        selectChat(session, "chat2");

        assertEquals(Set.of(), podsFor(CHAT_1));
        assertEquals(Set.of(pod.id), podsFor(CHAT_2));
        assertEquals(Optional.of(CHAT_2), session.selectedChat());
        assertEquals(List.of(), List.copyOf(pod.hub.members(CHAT_1)));
    }

    @Test
    void selectingTheSameChatAgain_keepsItRegistered() {
        LocalSession session = pod.open(ALICE);
        selectChat(session, "chat1");

        selectChat(session, "chat1");

        assertEquals(Set.of(pod.id), podsFor(CHAT_1));
        assertEquals(List.of(session), List.copyOf(pod.hub.members(CHAT_1)));
    }

    @Test
    void leavingAChat_keepsItsRouteWhileAnotherLocalUserStillSelectedIt() {
        LocalSession alice = pod.open(ALICE);
        LocalSession bob = pod.open(BOB);
        selectChat(alice, "chat1");
        selectChat(bob, "chat1");

        selectChat(alice, "chat2");

        assertEquals(Set.of(pod.id), podsFor(CHAT_1));
        assertEquals(List.of(bob), List.copyOf(pod.hub.members(CHAT_1)));
    }

    @Test
    void selectChatByAnAdmin_isANonFatalBadRequest() {
        LocalSession admin = pod.open(Principals.admin("boss", "", "", ""));

        Gateway.Handled.Failed failed = failed(gateway.handle(admin, new ClientMessage.SelectChat("chat1")));

        assertEquals(ErrorCode.BadRequest, failed.code());
        assertFalse(failed.fatal());
        assertEquals(Optional.empty(), admin.selectedChat());
    }

    @Test
    void selectChatWithAnInvalidChatId_isANonFatalBadRequest_namingChatId() {
        LocalSession session = pod.open(ALICE);
        selectChat(session, "chat1");

        for (String bad : new String[]{null, "", "  ", "a:b", "a.b", "*", "x".repeat(129)}) {
            Gateway.Handled.Failed failed = failed(gateway.handle(session, new ClientMessage.SelectChat(bad)));

            assertEquals(ErrorCode.BadRequest, failed.code(), "chat_id " + bad);
            assertFalse(failed.fatal(), "chat_id " + bad);
            assertTrue(failed.message().contains("chat_id"), failed.message());
        }
        assertEquals(Optional.of(CHAT_1), session.selectedChat(), "a bad request keeps the previous selection");
    }

    @Test
    void ping_isAnsweredWithPong() {
        RecordingConnection connection = cluster.connection();
        LocalSession session = pod.open(ALICE, connection);

        assertInstanceOf(Gateway.Handled.Ok.class, gateway.handle(session, new ClientMessage.Ping()));

        assertEquals(List.of(new ServerMessage.Ready(), new ServerMessage.Pong()), connection.offered());
        assertEquals(1, pod.metrics.count("message_received"));
    }

    @Test
    void burstPlusOneQuickMessages_isAFatalRateLimitExceeded() {
        cluster.configure(TestSettings.messageRate(1, 3));
        LocalSession session = pod.open(ALICE);

        for (int i = 0; i < 3; i++) {
            assertInstanceOf(Gateway.Handled.Ok.class, gateway.handle(session, new ClientMessage.Ping()), "frame " + i);
        }
        Gateway.Handled.Failed failed = failed(gateway.handle(session, new ClientMessage.Ping()));

        assertEquals(ErrorCode.RateLimitExceeded, failed.code());
        assertTrue(failed.fatal());
    }

    @Test
    void framesRefusedBeforeParsing_countAgainstTheSameRateLimit() {
        cluster.configure(TestSettings.messageRate(1, 2));
        LocalSession session = pod.open(ALICE);

        assertTrue(gateway.allowFrame(session));
        assertTrue(gateway.allowFrame(session));

        assertEquals(ErrorCode.RateLimitExceeded, failed(gateway.handle(session, new ClientMessage.Ping())).code());
        assertFalse(gateway.allowFrame(session));
    }

    @Test
    void rateLimit_isPerConnection() {
        cluster.configure(TestSettings.messageRate(1, 1));
        LocalSession alice = pod.open(ALICE);
        LocalSession bob = pod.open(BOB);

        assertInstanceOf(Gateway.Handled.Ok.class, gateway.handle(alice, new ClientMessage.Ping()));
        assertInstanceOf(Gateway.Handled.Ok.class, gateway.handle(bob, new ClientMessage.Ping()));
    }
}
