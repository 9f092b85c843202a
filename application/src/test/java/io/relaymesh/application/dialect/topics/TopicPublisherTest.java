package io.relaymesh.application.dialect.topics;

import io.relaymesh.application.delivery.Delivery;
import io.relaymesh.application.fakes.ManualClock;
import io.relaymesh.application.fakes.SequentialIds;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicPublisherTest {
    private final FakeTopicLog log = new FakeTopicLog();
    private final List<Envelope> delivered = new ArrayList<>();
    private final Delivery delivery = envelope -> {
        delivered.add(envelope);
        return CompletableFuture.completedFuture(Set.of());
    };
    private final ManualClock clock = new ManualClock();
    private final TopicsSettings settings = new TopicsSettings(Duration.ofHours(1), 1000, 64, 10, 5, 3,
            Duration.ofSeconds(60), 100, 100, 10, 100);
    private final TopicPublisher publisher = new TopicPublisher(log, delivery, clock, new SequentialIds("m"),
            () -> settings);

    private static TopicPublisher.Request request(String topic, String payload) {
        return new TopicPublisher.Request(topic, payload, null, null, null);
    }

    @Test
    void aMessage_isStoredThenDeliveredToItsTopicsRouteKey_withItsSequence() {
        var accepted = assertInstanceOf(TopicPublisher.Outcome.Accepted.class,
                publisher.publish(request("news", "{\"a\":1}")));
        assertEquals(1, log.messages.size());
        Envelope envelope = delivered.getFirst();
        assertEquals(List.of(RouteKey.of("topic", "news")), envelope.audience());
        assertEquals(accepted.message().messageId(), envelope.id());
        assertEquals("1", envelope.attribute(Topics.SEQ));
        assertEquals(clock.millis() + Duration.ofHours(1).toMillis(), accepted.message().expiresAtMillis(),
                "no ttl: kept for the retention");
    }

    @Test
    void aTtlLongerThanRetention_isCutToIt_andAShortOneKept() {
        var shortTtl = assertInstanceOf(TopicPublisher.Outcome.Accepted.class,
                publisher.publish(new TopicPublisher.Request("t", "1", 10L, null, null)));
        var longTtl = assertInstanceOf(TopicPublisher.Outcome.Accepted.class,
                publisher.publish(new TopicPublisher.Request("t", "1", 999_999L, null, null)));
        assertEquals(clock.millis() + 10_000, shortTtl.message().expiresAtMillis());
        assertEquals(clock.millis() + 3_600_000, longTtl.message().expiresAtMillis());
    }

    @Test
    void badTopicsPayloadsTtlsAndIds_areRefusedByField_andNothingIsStoredOrDelivered() {
        assertEquals("topic", field(publisher.publish(request("a.b", "{}"))));
        assertEquals("topic", field(publisher.publish(request(null, "{}"))));
        assertEquals("payload", field(publisher.publish(request("t", "\"" + "x".repeat(100) + "\""))));
        assertEquals("ttl", field(publisher.publish(new TopicPublisher.Request("t", "{}", 0L, null, null))));
        assertEquals("message_id", field(publisher.publish(new TopicPublisher.Request("t", "{}", null, "a b", null))));
        assertEquals("Idempotency-Key", field(publisher.publish(new TopicPublisher.Request("t", "{}", null, null, ""))));
        assertEquals(List.of(), log.messages);
        assertEquals(List.of(), delivered);
    }

    @Test
    void aRetryWithTheSameIdempotencyKey_isANoOp_namingTheFirstMessage() {
        var first = assertInstanceOf(TopicPublisher.Outcome.Accepted.class,
                publisher.publish(new TopicPublisher.Request("t", "{}", null, null, "k1")));
        var again = assertInstanceOf(TopicPublisher.Outcome.Accepted.class,
                publisher.publish(new TopicPublisher.Request("t", "{}", null, null, "k1")));
        assertTrue(again.duplicate());
        assertEquals(first.message().messageId(), again.message().messageId());
        assertEquals(1, delivered.size(), "delivered once");
    }

    @Test
    void beyondTheBurst_publishesAreRateLimited_andNothingIsStored() {
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(TopicPublisher.Outcome.Accepted.class, publisher.publish(request("t", "{}")));
        }
        assertInstanceOf(TopicPublisher.Outcome.RateLimited.class, publisher.publish(request("t", "{}")));
        assertEquals(3, log.messages.size());
    }

    @Test
    void aStoreFailure_isUnavailable_andNothingIsDelivered() {
        log.failing = true;
        assertInstanceOf(TopicPublisher.Outcome.Unavailable.class, publisher.publish(request("t", "{}")));
        assertEquals(List.of(), delivered);
    }

    @Test
    void subscribersGetTheMessageBeforeTheFlush_andTheProducersAnswerComesAfterIt() {
        List<String> order = new ArrayList<>();
        FakeTopicLog tracking = new FakeTopicLog() {
            @Override
            public synchronized void flush() {
                order.add("flush");
                super.flush();
            }
        };
        TopicPublisher p = new TopicPublisher(tracking, envelope -> {
            order.add("deliver");
            return CompletableFuture.completedFuture(Set.of());
        }, clock, new SequentialIds("m"), () -> settings);
        assertInstanceOf(TopicPublisher.Outcome.Accepted.class, p.publish(request("t", "{}")));
        assertEquals(List.of("deliver", "flush"), order);
    }

    @Test
    void aBulk_isFlushedOnce_forAllItsMessages() {
        List<TopicPublisher.Outcome> outcomes = publisher.publishAll(List.of(request("t", "1"), request("", "2"),
                request("t", "3")));
        assertInstanceOf(TopicPublisher.Outcome.Accepted.class, outcomes.get(0));
        assertInstanceOf(TopicPublisher.Outcome.Invalid.class, outcomes.get(1));
        assertEquals(List.of(2), log.flushes, "one flush covering both stored messages");
    }

    @Test
    void aFailedFlush_makesEveryAcceptedMessageUnavailable_soTheProducerRetries() {
        log.flushFailing = true;
        List<TopicPublisher.Outcome> outcomes = publisher.publishAll(List.of(request("t", "1"), request("", "2")));
        assertInstanceOf(TopicPublisher.Outcome.Unavailable.class, outcomes.get(0));
        assertInstanceOf(TopicPublisher.Outcome.Invalid.class, outcomes.get(1), "a refusal stays a refusal");
        assertInstanceOf(TopicPublisher.Outcome.Unavailable.class, publisher.publish(request("t", "3")));
    }

    private static String field(TopicPublisher.Outcome outcome) {
        return assertInstanceOf(TopicPublisher.Outcome.Invalid.class, outcome).field();
    }
}
