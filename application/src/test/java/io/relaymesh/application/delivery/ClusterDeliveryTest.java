package io.relaymesh.application.delivery;

import io.relaymesh.application.connection.ServerMessage;
import io.relaymesh.application.fakes.Cluster;
import io.relaymesh.application.fakes.Pod;
import io.relaymesh.application.fakes.Principals;
import io.relaymesh.application.fakes.RecordingConnection;
import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.testkit.PrimaryEvents;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.EventSource;
import io.relaymesh.domain.port.PodForwarder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClusterDeliveryTest {
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final PodId B = new PodId("pod-b");
    private static final PodId C = new PodId("pod-c");
    private static final RouteKey AGENT = new RouteKey("agent:c1:a1");

    private final Cluster cluster = new Cluster();
    private final Pod pod = cluster.pod("pod-a");
    private final ScriptedForwarder forwarder = new ScriptedForwarder();
    private final io.relaymesh.adapters.memory.InMemoryDeliveryLedger ledger =
            new io.relaymesh.adapters.memory.InMemoryDeliveryLedger(cluster.clock);
    private final ClusterDelivery delivery = new ClusterDelivery(pod.delivery, forwarder, ledger, cluster.pods,
            cluster.routes, pod.metrics, Duration.ofMillis(500));

    @AfterEach
    void close() {
        cluster.close();
    }

    /** A forwarder whose answer per pod the test chooses; it records every forward. */
    private static final class ScriptedForwarder implements PodForwarder {
        final Map<PodId, Boolean> fails = new ConcurrentHashMap<>();
        final List<PodId> calls = new ArrayList<>();

        @Override
        public synchronized CompletableFuture<Set<String>> forward(PodId target, List<Envelope> events) {
            calls.add(target);
            if (fails.getOrDefault(target, false)) {
                return CompletableFuture.failedFuture(new PortUnavailableException("grpc", target + " refused", null));
            }
            return CompletableFuture.completedFuture(Set.of(events.getFirst().id()));
        }
    }

    /** An inbound event that records how it was settled. */
    private static final class RecordingInbound implements EventSource.Inbound {
        final Envelope event;
        final long attempt;
        final List<String> settlements = new ArrayList<>();

        RecordingInbound(Envelope event) {
            this(event, 1);
        }

        RecordingInbound(Envelope event, long attempt) {
            this.event = event;
            this.attempt = attempt;
        }

        public long deliveryAttempt() {
            return attempt;
        }

        public Envelope envelope() {
            return event;
        }

        public void ack() {
            settlements.add("ack");
        }

        public void nak(Duration delay) {
            settlements.add("nak");
        }

        public void term(String reason) {
            settlements.add("term");
        }
    }

    private static Envelope chats(String id) {
        return PrimaryEvents.event(id, PrimaryEvents.chats("c1", "a1"), "{\"event_id\":\"" + id + "\"}", 1);
    }

    private RecordingConnection localUser() {
        RecordingConnection connection = cluster.connection();
        pod.open(Principals.user("c1", "a1", "alice"), connection);
        return connection;
    }

    /** A user here, and pods b and c holding the same agent; c refuses every forward. */
    private RecordingConnection localUserWithPodsBAndCHolding_andCRefusing() {
        RecordingConnection connection = localUser();
        cluster.pod("pod-b");
        cluster.pod("pod-c");
        cluster.routes.register(AGENT, B, TTL);
        cluster.routes.register(AGENT, C, TTL);
        forwarder.fails.put(C, true);
        return connection;
    }

    private static int events(RecordingConnection connection) {
        return connection.offered(ServerMessage.EventFrame.class).size();
    }

    /** The same event coming back from the stream (its second delivery). */
    private List<String> redeliver(Envelope event) {
        RecordingInbound inbound = new RecordingInbound(event, 2);
        delivery.handle(inbound).join();
        return inbound.settlements;
    }

    private List<String> handle(Envelope event) {
        RecordingInbound inbound = new RecordingInbound(event);
        delivery.handle(inbound).join();
        return inbound.settlements;
    }

    @Test
    void eventForThisPodOnly_isDeliveredAndAcked_withoutForwarding() {
        RecordingConnection alice = localUser();
        assertEquals(List.of("ack"), handle(chats("e1")));
        assertEquals(1, events(alice));
        assertEquals(List.of(), forwarder.calls);
    }

    @Test
    void eventNobodyHolds_isAcked() {
        assertEquals(List.of("ack"), handle(chats("e1")));
    }

    @Test
    void eventForALivePeer_isForwarded_andAckedWhenTheyAccept() {
        cluster.pod("pod-b");
        cluster.routes.register(AGENT, B, TTL);
        assertEquals(List.of("ack"), handle(chats("e1")));
        assertEquals(List.of(B), forwarder.calls);
    }

    @Test
    void failingPeer_naksTheEvent_andTheRedeliveryGoesOnlyToThatPeer() {
        RecordingConnection alice = localUserWithPodsBAndCHolding_andCRefusing();

        assertEquals(List.of("nak"), handle(chats("e1")));
        assertEquals(1, events(alice));

        forwarder.fails.put(C, false);
        forwarder.calls.clear();
        assertEquals(List.of("ack"), redeliver(chats("e1")));
        assertEquals(List.of(C), forwarder.calls, "pod-b already took it: no duplicate there");
        assertEquals(1, events(alice), "nor a duplicate on this pod's socket");
    }

    @Test
    void routesOfADeadPod_areIgnoredAtOnce_andRemoved() {
        cluster.routes.register(AGENT, new PodId("pod-dead"), TTL);
        assertEquals(List.of("ack"), handle(chats("e1")));
        assertEquals(List.of(), forwarder.calls);
        assertEquals(Set.of(), cluster.routes.lookup(List.of(AGENT)).get(AGENT));
    }

    @Test
    void settlementCounts_areReported() {
        cluster.pod("pod-b");
        cluster.routes.register(AGENT, B, TTL);
        forwarder.fails.put(B, true);
        handle(chats("e1"));
        forwarder.fails.put(B, false);
        handle(chats("e1"));
        assertEquals(2, pod.metrics.count("event_consumed"));
        assertEquals(1, pod.metrics.count("event_naked"));
        assertEquals(1, pod.metrics.count("event_acked"));
    }

    @Test
    void redeliveryConsumedByAnotherPod_goesOnlyToThePodsThatHaveNotTakenIt() {
        Pod podB = cluster.pod("pod-b");
        cluster.pod("pod-c");
        RecordingConnection alice = localUser();
        RecordingConnection bob = cluster.connection();
        podB.open(Principals.user("c1", "a1", "bob"), bob);
        cluster.routes.register(AGENT, C, TTL);
        forwarder.fails.put(C, true);

        assertEquals(List.of("nak"), handle(chats("e1")), "pod-c refused: nak");
        assertEquals(1, events(alice));

        ScriptedForwarder forwarderOfB = new ScriptedForwarder();
        ClusterDelivery onB = new ClusterDelivery(podB.delivery, forwarderOfB, ledger, cluster.pods, cluster.routes,
                podB.metrics, Duration.ofMillis(500));
        RecordingInbound redelivery = new RecordingInbound(chats("e1"), 2);
        onB.handle(redelivery).join();

        assertEquals(List.of("ack"), redelivery.settlements);
        assertEquals(List.of(C), forwarderOfB.calls, "only pod-c still needed it");
        assertEquals(0, events(bob), "pod-b took it from pod-a the first time: no second copy here");
        assertEquals(1, events(alice));
    }

    @Test
    void anEnvelopeWithoutAStream_isForwardedToEachHolder_andThePodsThatDidNotTakeItAreReturned() {
        RecordingConnection local = localUserWithPodsBAndCHolding_andCRefusing();

        Set<PodId> missed = delivery.deliver(chats("relay-1")).join();

        assertEquals(Set.of(C), missed, "pod-c refused it; pod-b took it");
        assertEquals(Set.of(B, C), Set.copyOf(forwarder.calls));
        assertEquals(1, events(local), "delivered here whatever the peers answer");
    }

    @Test
    void aBatch_isDeliveredHereInOrder_andForwardedToEachHolder_asOneForwardInOrder() {
        RecordingConnection local = localUser();
        RouteKey room = RouteKey.of("room", "t1");
        cluster.routes.register(AGENT, B, TTL);
        cluster.routes.register(room, C, TTL);
        cluster.pods.heartbeat(B, "b:1", TTL);
        cluster.pods.heartbeat(C, "c:1", TTL);
        List<List<String>> forwarded = new ArrayList<>();
        List<PodId> to = new ArrayList<>();
        ClusterDelivery batching = new ClusterDelivery(pod.delivery, (target, events) -> {
            synchronized (forwarded) {
                to.add(target);
                forwarded.add(events.stream().map(Envelope::id).toList());
            }
            return CompletableFuture.completedFuture(Set.copyOf(events.stream().map(Envelope::id).toList()));
        }, ledger, cluster.pods, cluster.routes, pod.metrics, Duration.ofMillis(500));
        Envelope first = chats("batch-1");
        Envelope inRoom = new Envelope("batch-2", List.of(room), new byte[0], Map.of(), 0L);
        Envelope last = chats("batch-3");

        Set<PodId> missed = batching.deliverAll(List.of(first, inRoom, last)).join();

        assertEquals(Set.of(), missed);
        assertEquals(List.of("batch-1", "batch-3"), local.offered(ServerMessage.EventFrame.class).stream()
                .map(f -> f.event().id()).toList());
        Map<PodId, List<String>> byPod = new java.util.HashMap<>();
        for (int i = 0; i < to.size(); i++) {
            byPod.put(to.get(i), forwarded.get(i));
        }
        assertEquals(Map.of(B, List.of("batch-1", "batch-3"), C, List.of("batch-2")), byPod);
        assertEquals(2, to.size(), "one forward per pod");
    }
}
