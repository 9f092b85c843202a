package io.relaymesh.adapters.nats;

import io.nats.client.api.ConsumerInfo;
import io.nats.client.impl.Headers;
import io.relaymesh.adapters.nats.JetStreamFixture.Recorder;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.testkit.PrimaryEvents;
import io.relaymesh.domain.port.EventPublisher;
import io.relaymesh.domain.port.EventSource;
import io.relaymesh.testkit.RealServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static io.relaymesh.adapters.nats.JetStreamFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(RealServices.class)
class JetStreamEventSourceIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private JetStreamFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new JetStreamFixture(RealServices.nats().url());
        fixture.deleteAllStreams();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void publishedEvent_isConsumedWithItsSubjectPayloadIdAndPublishTime() throws Exception {
        NatsSettings settings = fixture.settings().build();
        Recorder recorder = new Recorder();
        JetStreamFixture.Pod pod = fixture.pod(settings, recorder);
        JetStreamEventPublisher publisher = new JetStreamEventPublisher(pod.connections());
        Envelope sent = PrimaryEvents.event("evt-1", PrimaryEvents.messages("c1", "a1", "chat7"),
                "{\"event_id\":\"evt-1\",\"text\":\"héllo\"}", 1_700_000_000_123L);

        EventPublisher.Published published = publisher.publish(sent);

        assertEquals(new EventPublisher.Published.Accepted("evt-1", -1), published);
        JetStreamFixture.Recorder.Delivery delivery = recorder.next(WAIT);
        Envelope received = delivery.inbound().envelope();
        // Its position in the stream comes with it (issue 18): <stream>.<creation time>:<sequence>.
        String position = received.position();
        assertTrue(position != null && position.matches(settings.streamName() + "\\.[0-9a-z]+:[0-9]+"),
                "position " + position);
        assertEquals(sent.withAttribute(Envelope.POSITION, position), received);
        assertTrue(delivery.thread().isVirtual(), "handled on a virtual thread, not a NATS thread");
    }

    @Test
    void afterLongIdle_anEventIsStillConsumedAtOnce() throws Exception {
        // Many pull expiries in a row with nothing to consume (the agents consumer of a quiet
        // system): the loop paces pulls that end at once, and that pacing must never leave a
        // consumer without a pull for long, or events wait seconds after a quiet spell.
        NatsSettings settings = fixture.settings().pullExpiry(Duration.ofMillis(200)).build();
        Recorder recorder = new Recorder();
        JetStreamFixture.Pod pod = fixture.pod(settings, recorder);
        Thread.sleep(4_000); // 20 expiries
        JetStreamEventPublisher publisher = new JetStreamEventPublisher(pod.connections());
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            publisher.publish(PrimaryEvents.event("idle-" + i, PrimaryEvents.agents("c1", "a1"), "{\"n\":" + i + "}", 1L));
            recorder.next(WAIT);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 600, "event " + i + " after an idle spell took " + millis + " ms");
            Thread.sleep(700); // a few more expiries between events
        }
    }

    @Test
    void close_waitsForHandedOutEventsToBeSettled() throws Exception {
        Recorder recorder = new Recorder().behave(inbound -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inbound.ack();
        });
        JetStreamFixture.Pod pod = fixture.pod(fixture.settings().build(), recorder);
        for (int i = 0; i < 5; i++) {
            fixture.publishRaw("websocket.c1.a1.chats", "{\"event_id\":\"s" + i + "\"}", null);
        }
        await(WAIT, "5 deliveries", () -> recorder.deliveries.size() == 5);

        assertTrue(pod.source().inFlight() > 0, "handlers still busy when close starts");

        pod.source().close();

        assertEquals(0, pod.source().inFlight(), "close returned only once every handed-out event was settled");
        await(WAIT, "the server to count every ack", () -> {
            try {
                return fixture.consumer(ConsumerKinds.CHATS).getNumAckPending() == 0;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void withoutPayloadEventId_theMsgIdHeaderThenTheStreamSequenceIsTheId_andTheJetStreamTimeThePublishTime()
            throws Exception {
        Recorder recorder = new Recorder();
        fixture.pod(fixture.settings().build(), recorder);
        long before = System.currentTimeMillis();

        fixture.publishRaw("websocket.c1.a1.agents", "{\"x\":1}", new Headers().add("Nats-Msg-Id", "hdr-1"));
        long sequence = fixture.publishRaw("websocket.c1.a1.agents", "{\"x\":2}", null).getSeqno();

        // Each message is handled on its own virtual thread: the order of handling is not the order of publishing.
        Map<String, Envelope> byPayload = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            Envelope event = recorder.next(WAIT).inbound().envelope();
            byPayload.put(event.payloadText(), event);
        }
        Envelope first = byPayload.get("{\"x\":1}");
        Envelope second = byPayload.get("{\"x\":2}");
        assertEquals("hdr-1", first.id());
        assertEquals(JetStreamFixture.STREAM + "-" + sequence, second.id());
        assertTrue(second.publishedAtMillis() >= before - 1_000 && second.publishedAtMillis()
                <= System.currentTimeMillis() + 1_000, "JetStream timestamp, was " + second.publishedAtMillis());
    }

    @Test
    void duplicatePublish_isReportedDuplicateAndConsumedOnce() throws Exception {
        Recorder recorder = new Recorder();
        JetStreamFixture.Pod pod = fixture.pod(fixture.settings().build(), recorder);
        JetStreamEventPublisher publisher = new JetStreamEventPublisher(pod.connections());
        Envelope event = PrimaryEvents.event("dup-1", PrimaryEvents.chats("c1", "a1"), "{\"event_id\":\"dup-1\"}", 1L);

        EventPublisher.Published first = publisher.publish(event);
        EventPublisher.Published second = publisher.publish(event);

        assertInstanceOf(EventPublisher.Published.Accepted.class, first);
        assertEquals(new EventPublisher.Published.Duplicate("dup-1"), second);
        assertEquals("dup-1", recorder.next(WAIT).id());
        recorder.expectNothing(Duration.ofMillis(1_500));
    }

    @Test
    void twoPodsOnTheSameConsumers_handleEachMessageExactlyOnceBetweenThem() throws Exception {
        NatsSettings settings = fixture.settings().maxInFlight(12).build();
        Map<String, String> handledBy = new ConcurrentHashMap<>();
        Queue<String> duplicates = new ConcurrentLinkedQueue<>();
        AtomicInteger podA = new AtomicInteger();
        AtomicInteger podB = new AtomicInteger();
        fixture.pod(settings, countingHandler("A", podA, handledBy, duplicates));
        fixture.pod(settings, countingHandler("B", podB, handledBy, duplicates));

        for (int i = 0; i < 200; i++) {
            String subject = switch (i % 3) {
                case 0 -> "websocket.c1.a" + (i % 7) + ".chats";
                case 1 -> "websocket.c1.a" + (i % 7) + ".agents";
                default -> "websocket.c1.a1.messages.chat" + i;
            };
            fixture.publishRaw(subject, "{\"event_id\":\"e" + i + "\"}", null);
        }

        await(Duration.ofSeconds(20), "200 distinct events handled", () -> handledBy.size() == 200);
        Thread.sleep(1_000);
        assertEquals(List.of(), List.copyOf(duplicates));
        assertEquals(200, podA.get() + podB.get());
        assertTrue(podA.get() > 0 && podB.get() > 0, "both pods took a share: A=" + podA + " B=" + podB);
    }

    @Test
    void nak_redeliversAfterTheDelay() throws Exception {
        Recorder recorder = new Recorder();
        AtomicInteger seen = new AtomicInteger();
        recorder.behave(inbound -> {
            if (seen.getAndIncrement() == 0) {
                inbound.nak(Duration.ofSeconds(1));
            } else {
                inbound.ack();
            }
        });
        fixture.pod(fixture.settings().build(), recorder);

        fixture.publishRaw("websocket.c1.a1.chats", "{\"event_id\":\"n1\"}", null);

        JetStreamFixture.Recorder.Delivery first = recorder.next(WAIT);
        JetStreamFixture.Recorder.Delivery again = recorder.next(WAIT);
        assertEquals("n1", again.id());
        long gapMillis = (again.atNanos() - first.atNanos()) / 1_000_000;
        assertTrue(gapMillis >= 900, "redelivered after the nak delay, gap " + gapMillis + " ms");
        recorder.expectNothing(Duration.ofMillis(500));
    }

    @Test
    void messageNotSettledWithinAckWait_isRedelivered() throws Exception {
        Recorder recorder = new Recorder();
        AtomicInteger seen = new AtomicInteger();
        recorder.behave(inbound -> {
            if (seen.getAndIncrement() > 0) {
                inbound.ack();
            }
        });
        fixture.pod(fixture.settings().ackWait(Duration.ofSeconds(2)).build(), recorder);

        fixture.publishRaw("websocket.c1.a1.chats", "{\"event_id\":\"w1\"}", null);

        JetStreamFixture.Recorder.Delivery first = recorder.next(WAIT);
        JetStreamFixture.Recorder.Delivery again = recorder.next(WAIT);
        assertEquals("w1", again.id());
        long gapMillis = (again.atNanos() - first.atNanos()) / 1_000_000;
        assertTrue(gapMillis >= 1_800, "redelivered after the ack wait, gap " + gapMillis + " ms");
    }

    @Test
    void term_isNeverRedelivered() throws Exception {
        Recorder recorder = new Recorder().behave(inbound -> inbound.term("test says so"));
        fixture.pod(fixture.settings().ackWait(Duration.ofSeconds(1)).build(), recorder);

        fixture.publishRaw("websocket.c1.a1.chats", "{\"event_id\":\"t1\"}", null);

        assertEquals("t1", recorder.next(WAIT).id());
        recorder.expectNothing(Duration.ofMillis(2_500));
        ConsumerInfo chats = fixture.consumer(ConsumerKinds.CHATS);
        assertEquals(0, chats.getNumAckPending());
        assertEquals(0, chats.getRedelivered());
    }

    @Test
    void messagesWithAnInvalidSubjectOrPayload_areTerminatedAndNeverHandled() throws Exception {
        Recorder recorder = new Recorder();
        fixture.pod(fixture.settings().ackWait(Duration.ofSeconds(1)).build(), recorder);

        fixture.publishRaw("websocket.c:1.a1.chats", "{\"event_id\":\"bad-subject\"}", null);
        fixture.publishRaw("websocket.c1.a1.chats", "not json", null);
        fixture.publishRaw("websocket.c1.a1.agents", "[1,2,3]", null);
        long last = fixture.publishRaw("websocket.c1.a1.chats", "{\"event_id\":\"good\"}", null).getSeqno();

        assertEquals("good", recorder.next(WAIT).id());
        recorder.expectNothing(Duration.ofMillis(2_000));
        ConsumerInfo chats = fixture.consumer(ConsumerKinds.CHATS);
        ConsumerInfo agents = fixture.consumer(ConsumerKinds.AGENTS);
        assertEquals(0, chats.getNumAckPending() + agents.getNumAckPending());
        assertEquals(0, chats.getRedelivered() + agents.getRedelivered());
        assertEquals(last, chats.getAckFloor().getStreamSequence());
    }

    @Test
    void messagesConsumer_startsWithTheLastMessageOfEachChat_chatsConsumerWithAll() throws Exception {
        NatsSettings settings = fixture.settings().build();
        new JetStreamProvisioner(fixture.connect(settings).management(), settings, PrimaryEvents.BINDINGS).ensureStream();
        fixture.publishRaw("websocket.c1.a1.messages.chat1", "{\"event_id\":\"m1\"}", null);
        fixture.publishRaw("websocket.c1.a1.messages.chat1", "{\"event_id\":\"m2\"}", null);
        fixture.publishRaw("websocket.c1.a1.messages.chat1", "{\"event_id\":\"m3\"}", null);
        fixture.publishRaw("websocket.c1.a1.messages.chat2", "{\"event_id\":\"n1\"}", null);
        fixture.publishRaw("websocket.c1.a1.chats", "{\"event_id\":\"c1\"}", null);
        fixture.publishRaw("websocket.c1.a1.chats", "{\"event_id\":\"c2\"}", null);
        Recorder recorder = new Recorder();

        fixture.pod(settings, recorder);

        Set<String> received = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            received.add(recorder.next(WAIT).id());
        }
        recorder.expectNothing(Duration.ofMillis(1_500));
        assertEquals(Set.of("m3", "n1", "c1", "c2"), received);
    }

    @Test
    void aPodHoldsAtMostMaxInFlightUnsettledMessages_andTakesMoreAsTheySettle() throws Exception {
        Queue<EventSource.Inbound> held = new ConcurrentLinkedQueue<>();
        Recorder recorder = new Recorder().behave(held::add);
        JetStreamFixture.Pod pod = fixture.pod(fixture.settings().maxInFlight(4).build(), recorder);

        for (int i = 0; i < 20; i++) {
            fixture.publishRaw(i % 2 == 0 ? "websocket.c1.a1.chats" : "websocket.c1.a1.messages.chat" + i,
                    "{\"event_id\":\"f" + i + "\"}", null);
        }

        await(WAIT, "4 deliveries", () -> recorder.deliveries.size() == 4);
        Thread.sleep(1_500);
        assertEquals(4, recorder.deliveries.size(), "no fifth message while four are unsettled");
        assertEquals(4, pod.source().inFlight());

        recorder.behave(EventSource.Inbound::ack);
        held.forEach(EventSource.Inbound::ack);
        await(WAIT, "all 20 deliveries", () -> recorder.deliveries.size() == 20);
        List<String> ids = new ArrayList<>();
        recorder.deliveries.forEach(d -> ids.add(d.id()));
        assertEquals(20, new HashSet<>(ids).size());
        await(WAIT, "nothing in flight", () -> pod.source().inFlight() == 0);
    }

    @Test
    void aHandlerThatThrows_getsTheMessageAgainAfterTheNakBackoff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Recorder recorder = new Recorder().behave(inbound -> {
            if (calls.getAndIncrement() == 0) {
                throw new IllegalStateException("boom");
            }
            inbound.ack();
        });
        fixture.pod(fixture.settings().build(), recorder);

        fixture.publishRaw("websocket.c1.a1.chats", "{\"event_id\":\"x1\"}", null);

        JetStreamFixture.Recorder.Delivery first = recorder.next(WAIT);
        JetStreamFixture.Recorder.Delivery again = recorder.next(WAIT);
        assertEquals("x1", again.id());
        assertTrue((again.atNanos() - first.atNanos()) / 1_000_000 >= 150, "nak'ed with the 200 ms back-off");
        recorder.expectNothing(Duration.ofMillis(500));
    }

    private static java.util.function.Consumer<EventSource.Inbound> countingHandler(
            String pod, AtomicInteger count, Map<String, String> handledBy, Queue<String> duplicates) {
        return inbound -> {
            count.incrementAndGet();
            String previous = handledBy.putIfAbsent(inbound.envelope().id(), pod);
            if (previous != null) {
                duplicates.add(inbound.envelope().id() + " by " + previous + " and " + pod);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inbound.ack();
        };
    }
}
