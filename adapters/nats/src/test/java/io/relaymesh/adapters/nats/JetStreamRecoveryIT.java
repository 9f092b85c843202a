package io.relaymesh.adapters.nats;

import io.nats.client.api.ConsumerConfiguration;
import io.relaymesh.adapters.nats.JetStreamFixture.Recorder;
import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.testkit.PrimaryEvents;
import io.relaymesh.domain.port.EventSource;
import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashSet;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.relaymesh.adapters.nats.JetStreamFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failures of the server under a running event source; each test gets its own nats-server. */
@ExtendWith(RealServices.class)
class JetStreamRecoveryIT {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private NatsServer server;
    private JetStreamFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        server = RealServices.newNats();
        fixture = new JetStreamFixture(server.url());
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            fixture.close();
        } finally {
            server.close();
        }
    }

    @Test
    void afterAServerRestart_theSourceResumesAndLaterEventsAreConsumed() throws Exception {
        Recorder recorder = new Recorder();
        JetStreamFixture.Pod pod = fixture.pod(fixture.settings().build(), recorder);
        JetStreamEventPublisher publisher = new JetStreamEventPublisher(pod.connections());
        publisher.publish(event("before", 1));
        assertEquals("before", recorder.next(WAIT).id());

        server.stop();
        await(WAIT, "the pod to notice the outage", () -> !pod.connections().isConnected());
        PortUnavailableException down = assertThrows(PortUnavailableException.class,
                () -> publisher.publish(event("while-down", 2)));
        assertEquals("nats", down.port());
        server.start();
        await(WAIT, "the pod to reconnect", () -> pod.connections().isConnected());

        publisher.publish(event("after", 3));
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!seen.contains("after") && System.nanoTime() < deadline) {
            seen.add(recorder.next(WAIT).id());
        }
        assertTrue(seen.contains("after"), "consumed after the restart: " + seen);
        assertTrue(!seen.contains("before"), "an acked event is not redelivered after the restart: " + seen);
    }

    @Test
    void aDeletedConsumer_isRecreatedAndConsumptionResumes() throws Exception {
        Recorder recorder = new Recorder();
        JetStreamFixture.Pod pod = fixture.pod(fixture.settings().build(), recorder);
        JetStreamEventPublisher publisher = new JetStreamEventPublisher(pod.connections());
        publisher.publish(event("first", 1));
        assertEquals("first", recorder.next(WAIT).id());

        fixture.jsm.deleteConsumer(JetStreamFixture.STREAM, ConsumerKinds.CHATS.durableName(JetStreamFixture.CONSUMER));
        await(WAIT, "the consumer to be recreated", () -> {
            try {
                return fixture.jsm.getConsumerNames(JetStreamFixture.STREAM)
                        .contains(ConsumerKinds.CHATS.durableName(JetStreamFixture.CONSUMER));
            } catch (Exception e) {
                return false;
            }
        });
        publisher.publish(event("second", 2));

        // The recreated consumer delivers everything retained (DeliverAll), so "first" may come again.
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!seen.contains("second") && System.nanoTime() < deadline) {
            seen.add(recorder.next(WAIT).id());
        }
        assertTrue(seen.contains("second"), "consumed after the consumer was recreated: " + seen);
        ConsumerConfiguration recreated = fixture.consumer(ConsumerKinds.CHATS).getConsumerConfiguration();
        assertEquals("websocket.*.*.chats", recreated.getFilterSubject());
    }

    @Test
    void aConsumerDeletedWhileNoPullIsWaiting_isRecreatedOnTheNextPull() throws Exception {
        // Three permits: one pull of one message per consumer. Holding the chats message keeps the
        // chats loop waiting for a permit, so no chats pull is open when the consumer is deleted: no
        // "409 Consumer Deleted" reaches the pod, and later pulls are silently dropped by the server.
        Queue<EventSource.Inbound> held = new ConcurrentLinkedQueue<>();
        Recorder recorder = new Recorder().behave(held::add);
        JetStreamFixture.Pod pod = fixture.pod(fixture.settings().maxInFlight(3).build(), recorder);
        JetStreamEventPublisher publisher = new JetStreamEventPublisher(pod.connections());
        publisher.publish(event("held", 1));
        assertEquals("held", recorder.next(WAIT).id());

        fixture.jsm.deleteConsumer(JetStreamFixture.STREAM, ConsumerKinds.CHATS.durableName(JetStreamFixture.CONSUMER));
        recorder.behave(EventSource.Inbound::ack);
        held.forEach(EventSource.Inbound::ack);
        publisher.publish(event("later", 2));

        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!seen.contains("later") && System.nanoTime() < deadline) {
            seen.add(recorder.next(WAIT).id());
        }
        assertTrue(seen.contains("later"), "consumed after the consumer was recreated: " + seen);
    }

    private static Envelope event(String id, long publishedAt) {
        return PrimaryEvents.event(id, PrimaryEvents.chats("c1", "a1"), "{\"event_id\":\"" + id + "\"}", publishedAt);
    }
}
