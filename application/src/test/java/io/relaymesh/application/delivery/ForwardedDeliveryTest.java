package io.relaymesh.application.delivery;

import io.relaymesh.application.connection.ServerMessage;
import io.relaymesh.application.fakes.Cluster;
import io.relaymesh.application.fakes.Pod;
import io.relaymesh.application.fakes.Principals;
import io.relaymesh.application.fakes.RecordingConnection;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.testkit.PrimaryEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ForwardedDeliveryTest {
    private final Cluster cluster = new Cluster();
    private final Pod pod = cluster.pod("pod-a");

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    @Test
    void aRetriedForward_isAcceptedAgain_butQueuedOnce_andOnlyTheLastIdsAreRemembered() {
        RecordingConnection alice = cluster.connection();
        pod.open(Principals.user("c1", "a1", "alice"), alice);
        ForwardedDelivery forwarded = new ForwardedDelivery(pod.delivery, 2);
        Envelope a = PrimaryEvents.event("a", PrimaryEvents.chats("c1", "a1"), "{}", 1);
        Envelope b = PrimaryEvents.event("b", PrimaryEvents.chats("c1", "a1"), "{}", 1);
        Envelope c = PrimaryEvents.event("c", PrimaryEvents.chats("c1", "a1"), "{}", 1);

        assertEquals(Set.of("a", "b"), forwarded.deliver(List.of(a, b)));
        assertEquals(Set.of("a", "b"), forwarded.deliver(List.of(a, b)));
        assertEquals(List.of("a", "b"), ids(alice), "the retry was a duplicate");
        forwarded.deliver(List.of(c));
        forwarded.deliver(List.of(a));
        assertEquals(List.of("a", "b", "c", "a"), ids(alice), "a was forgotten after two newer ids");
    }

    private static List<String> ids(RecordingConnection connection) {
        return connection.offered(ServerMessage.EventFrame.class).stream().map(f -> f.event().id()).toList();
    }
}
