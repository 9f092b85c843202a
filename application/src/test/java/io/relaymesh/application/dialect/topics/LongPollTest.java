package io.relaymesh.application.dialect.topics;

import io.relaymesh.adapters.memory.InMemoryRouteRegistry;
import io.relaymesh.application.connection.ConnectionHub;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.connection.ServerMessage;
import io.relaymesh.application.fakes.ManualClock;
import io.relaymesh.application.settings.GatewaySettings;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.topics.TopicLog;
import io.relaymesh.domain.topics.TopicMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LongPollTest {
    private static final PodId POD = new PodId("pod-1");
    private final FakeTopicLog log = new FakeTopicLog();
    private final InMemoryRouteRegistry registry = new InMemoryRouteRegistry();
    private final ConnectionHub hub = new ConnectionHub(POD, registry, GatewaySettings::defaults);
    private final TopicWaiters waiters = new TopicWaiters(hub, Duration.ofMillis(200));
    private final TopicsSettings settings = new TopicsSettings(Duration.ofHours(1), 1000, 1000, 10, 100, 100,
            Duration.ofSeconds(60), 2, 100, 10, 100);
    private final LongPoll poll = new LongPoll(log, waiters, new ManualClock(), () -> settings);

    @AfterEach
    void close() {
        waiters.close();
    }

    private int stored;

    private TopicMessage store(String topic, String payload) {
        return ((TopicLog.Appended.Stored) log.append(new TopicLog.NewMessage("m" + ++stored, topic, payload, 0,
                Long.MAX_VALUE, null))).message();
    }

    /** What the core's delivery does on this pod: offer the envelope to the topic key's local members. */
    private void deliver(TopicMessage message) {
        for (LocalSession member : hub.members(Topics.routeKey(message.topic()))) {
            member.connection().offer(new ServerMessage.EventFrame(Topics.envelope(message)));
        }
    }

    @Test
    void pendingMessages_areAnsweredAtOnce_inOrder_atMostTheLimit_untilAcked() throws Exception {
        log.startConsumer("u/c", "t");
        store("t", "1");
        store("t", "2");
        store("t", "3");
        List<TopicMessage> first = poll.poll("u/c", List.of("t"), Duration.ofSeconds(30));
        assertEquals(List.of("1", "2"), first.stream().map(TopicMessage::payloadJson).toList());
        int flushes = log.flushes.size();
        poll.ack("u/c", List.of(first.get(0).messageId(), first.get(1).messageId()));
        assertEquals(flushes + 1, log.flushes.size(), "an HTTP ack is answered once it is durable");
        assertEquals(List.of("3"), poll.poll("u/c", List.of("t"), Duration.ZERO).stream()
                .map(TopicMessage::payloadJson).toList());
    }

    @Test
    void withNothingPending_aPollWaitsItsTimeout_andAnswersEmpty() throws Exception {
        long start = System.nanoTime();
        assertEquals(List.of(), poll.poll("u/c", List.of("t"), Duration.ofMillis(300)));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waited >= 290 && waited < 1500, "waited " + waited + " ms");
    }

    @Test
    void aWaitingPoll_joinsTheTopicsRoute_andIsWokenByAnEnvelopeOfIt() throws Exception {
        CompletableFuture<List<TopicMessage>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return poll.poll("u/c", List.of("a", "b"), Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (hub.members(Topics.routeKey("b")).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(registry.lookup(List.of(Topics.routeKey("b"))).get(Topics.routeKey("b")).contains(POD),
                "the pod is registered for the topic, so other pods forward to it");
        TopicMessage published = store("b", "{\"n\":1}");
        long start = System.nanoTime();
        deliver(published);
        assertEquals(List.of(published), waiting.get(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void aMessageNeverStored_isAnsweredFromItsEnvelope() throws Exception {
        CompletableFuture<List<TopicMessage>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return poll.poll("u/c", List.of("t"), Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (hub.members(Topics.routeKey("t")).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        TopicMessage live = new TopicMessage("e1", "t", 0, "{}", 1, Long.MAX_VALUE);
        deliver(live);
        assertEquals("e1", waiting.get(5, TimeUnit.SECONDS).getFirst().messageId());
    }

    @Test
    void anIdleTopicsListener_leavesTheRouteAfterItsLinger() throws Exception {
        poll.poll("u/c", List.of("t"), Duration.ofMillis(10));
        assertEquals(1, waiters.listening());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (waiters.listening() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, waiters.listening());
        assertTrue(hub.members(Topics.routeKey("t")).isEmpty());
    }
}
