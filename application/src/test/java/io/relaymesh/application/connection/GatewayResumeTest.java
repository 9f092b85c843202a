package io.relaymesh.application.connection;

import io.relaymesh.application.fakes.Cluster;
import io.relaymesh.application.fakes.Pod;
import io.relaymesh.application.fakes.Principals;
import io.relaymesh.application.fakes.RecordingConnection;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Issue 18: a client that comes back with the position it last saw gets what it missed on its
 * route keys, right after ready (which says recovered), before live events, each once.
 */
class GatewayResumeTest {
    private static final Principal.User ALICE = Principals.user("c1", "a1", "alice");
    private static final RouteKey AGENT = RouteKey.agent("c1", "a1");

    private final Cluster cluster = new Cluster();
    private final Pod pod = cluster.pod("pod-a");

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    private Envelope publish(String id, RouteKey key) {
        Envelope event = new Envelope(id, List.of(key), ("{\"event_id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8),
                Map.of(), 0);
        pod.publisher.publish(event);
        return event;
    }

    private static List<String> eventIds(RecordingConnection connection) {
        return connection.offered(ServerMessage.EventFrame.class).stream().map(f -> f.event().id()).toList();
    }

    private String positionOf(RecordingConnection connection, String id) {
        return connection.offered(ServerMessage.EventFrame.class).stream().filter(f -> f.event().id().equals(id))
                .findFirst().orElseThrow().event().position();
    }

    @Test
    void aClientBackWithItsLastPosition_getsWhatItMissedInOrder_andReadySaysRecovered() {
        RecordingConnection first = new RecordingConnection("c-1");
        LocalSession session = pod.open(ALICE, first);
        publish("e1", AGENT);
        publish("e2", AGENT);
        String seen = positionOf(first, "e2");
        pod.gateway.closed(session);

        publish("e3", AGENT);
        publish("other", RouteKey.agent("c1", "a2"));
        publish("e4", AGENT);

        RecordingConnection again = new RecordingConnection("c-2");
        assertInstanceOf(Gateway.Opening.Opened.class, pod.gateway.open(ALICE, again, List.of(AGENT), true, seen));
        assertEquals(new ServerMessage.Ready(true), again.offered().getFirst());
        assertEquals(List.of("e3", "e4"), eventIds(again));
    }

    @Test
    void withoutSince_readySaysNothingAboutRecovery() {
        RecordingConnection connection = new RecordingConnection("c-1");
        pod.open(ALICE, connection);
        assertNull(((ServerMessage.Ready) connection.offered().getFirst()).recovered());
    }

    @Test
    void aPositionFromAnotherEpochOrBeyondTheHistory_isAGap() {
        publish("e1", AGENT);
        for (String since : List.of("someotherepoch:1", "not-a-position", pod.history.epoch() + ":999")) {
            RecordingConnection connection = new RecordingConnection("c-" + since);
            LocalSession session = assertInstanceOf(Gateway.Opening.Opened.class,
                    pod.gateway.open(ALICE, connection, List.of(AGENT), true, since)).session();
            assertEquals(new ServerMessage.Ready(false), connection.offered().getFirst(), since);
            assertEquals(List.of(), eventIds(connection));
            pod.gateway.closed(session);
        }
    }

    @Test
    void moreMissedThanTheResumeLimit_isAGap() {
        RecordingConnection first = new RecordingConnection("c-1");
        LocalSession session = pod.open(ALICE, first);
        publish("e0", AGENT);
        String seen = positionOf(first, "e0");
        pod.gateway.closed(session);
        for (int i = 1; i <= 101; i++) {
            publish("e" + i, AGENT);
        }
        RecordingConnection again = new RecordingConnection("c-2");
        pod.gateway.open(ALICE, again, List.of(AGENT), true, seen);
        assertEquals(new ServerMessage.Ready(false), again.offered().getFirst(), "101 missed, limit 100");
    }

    @Test
    void selectChatWithSince_replaysThatChatAndSaysSo() {
        RecordingConnection first = new RecordingConnection("c-1");
        LocalSession session = pod.open(ALICE, first);
        publish("e1", AGENT);
        String seen = positionOf(first, "e1");
        RouteKey chat = RouteKey.chat("c1", "a1", "chat-7");
        publish("m1", chat);
        publish("m2", chat);

        assertInstanceOf(Gateway.Handled.Ok.class,
                pod.gateway.handle(session, new ClientMessage.SelectChat("chat-7", seen)));
        assertEquals(new ServerMessage.ChatSelected("chat-7", true),
                first.offered(ServerMessage.ChatSelected.class).getFirst());
        assertEquals(List.of("e1", "m1", "m2"), eventIds(first));
    }
}
