package io.relaymesh.domain.topics.contract;

import io.relaymesh.domain.topics.TopicLog;
import io.relaymesh.domain.topics.TopicMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every topic log does, whatever holds it (Redis Streams, the embedded file store). */
public abstract class TopicLogContract {
    private final List<TopicLog> opened = new ArrayList<>();
    /** Unique per test run: adapters on a shared Redis must not see each other's topics. */
    protected final String run = UUID.randomUUID().toString().substring(0, 8);

    /** A fresh log keeping messages for {@code retention} and at most {@code maxPerTopic} per topic. */
    protected abstract TopicLog createLog(Duration retention, int maxPerTopic);

    private TopicLog log(Duration retention, int maxPerTopic) {
        TopicLog log = createLog(retention, maxPerTopic);
        opened.add(log);
        return log;
    }

    private TopicLog log() {
        return log(Duration.ofHours(1), 1000);
    }

    @AfterEach
    void closeLogs() {
        opened.forEach(TopicLog::close);
    }

    private String topic(String name) {
        return name + "-" + run;
    }

    private static TopicMessage stored(TopicLog log, String topic, String payload) {
        return stored(log, topic, payload, Long.MAX_VALUE / 2, null, UUID.randomUUID().toString());
    }

    private static TopicMessage stored(TopicLog log, String topic, String payload, long expiresAt, String idem, String id) {
        long now = System.currentTimeMillis();
        TopicLog.Appended appended = log.append(new TopicLog.NewMessage(id, topic, payload, now, expiresAt, idem));
        return assertInstanceOf(TopicLog.Appended.Stored.class, appended).message();
    }

    private static List<String> payloads(List<TopicMessage> messages) {
        return messages.stream().map(TopicMessage::payloadJson).toList();
    }

    @Test
    void aConsumer_startsAtTheEndOfATopic_thenGetsEveryLaterMessageInPublishOrder() {
        TopicLog log = log();
        String t = topic("orders");
        stored(log, t, "{\"n\":0}");
        log.startConsumer("u/c1", t);
        TopicMessage first = stored(log, t, "{\"n\":1}");
        TopicMessage second = stored(log, t, "{\"n\":2}");
        assertTrue(second.seq() > first.seq(), "sequences grow in publish order");
        List<TopicMessage> pending = log.pending("u/c1", t, 0, 10, System.currentTimeMillis());
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), payloads(pending));
        assertEquals(first.messageId(), pending.getFirst().messageId());
        assertEquals(t, pending.getFirst().topic());
        log.startConsumer("u/c1", t); // again: keeps its start
        assertEquals(2, log.pending("u/c1", t, 0, 10, System.currentTimeMillis()).size());
        assertEquals(List.of("{\"n\":2}"), payloads(log.pending("u/c1", t, first.seq(), 10, System.currentTimeMillis())),
                "after a sequence");
        assertEquals(1, log.pending("u/c1", t, 0, 1, System.currentTimeMillis()).size(), "limit");
    }

    @Test
    void ackedMessages_areNoLongerPending_forThatConsumerOnly_andUnknownIdsAreNamed() {
        TopicLog log = log();
        String t = topic("acks");
        log.startConsumer("u/a", t);
        log.startConsumer("u/b", t);
        TopicMessage one = stored(log, t, "1");
        stored(log, t, "2");
        assertEquals(List.of("nope-" + run), log.ack("u/a", List.of(one.messageId(), "nope-" + run)));
        assertEquals(List.of("2"), payloads(log.pending("u/a", t, 0, 10, System.currentTimeMillis())));
        assertEquals(List.of("1", "2"), payloads(log.pending("u/b", t, 0, 10, System.currentTimeMillis())));
    }

    @Test
    void aRepeatedMessageIdOrIdempotencyKey_storesNothing_andNamesTheOriginal() {
        TopicLog log = log();
        String t = topic("dup");
        log.startConsumer("u/c", t);
        String id = "m-" + run;
        TopicMessage original = stored(log, t, "1", Long.MAX_VALUE / 2, null, id);
        TopicLog.Appended again = log.append(new TopicLog.NewMessage(id, t, "other", 1, Long.MAX_VALUE / 2, null));
        assertEquals(original.messageId(), assertInstanceOf(TopicLog.Appended.Duplicate.class, again).original().messageId());
        TopicMessage keyed = stored(log, t, "2", Long.MAX_VALUE / 2, "key-" + run, "k1-" + run);
        TopicLog.Appended retried = log.append(new TopicLog.NewMessage("k2-" + run, t, "2", 1, Long.MAX_VALUE / 2,
                "key-" + run));
        TopicMessage named = assertInstanceOf(TopicLog.Appended.Duplicate.class, retried).original();
        assertEquals(keyed.messageId(), named.messageId());
        assertEquals(keyed.seq(), named.seq());
        assertEquals(List.of("1", "2"), payloads(log.pending("u/c", t, 0, 10, System.currentTimeMillis())));
    }

    @Test
    void aTopicKeepsAtMostItsCount_droppingTheOldest() {
        TopicLog log = log(Duration.ofHours(1), 3);
        String t = topic("count");
        log.startConsumer("u/c", t);
        for (int i = 1; i <= 5; i++) {
            stored(log, t, Integer.toString(i));
        }
        log.trim(System.currentTimeMillis());
        assertEquals(List.of("3", "4", "5"), payloads(log.pending("u/c", t, 0, 10, System.currentTimeMillis())));
    }

    @Test
    void messagesPastTheirTtlOrRetention_areNotPending() throws InterruptedException {
        TopicLog log = log(Duration.ofMillis(600), 1000);
        String t = topic("age");
        log.startConsumer("u/c", t);
        long now = System.currentTimeMillis();
        stored(log, t, "short", now + 100, null, UUID.randomUUID().toString());
        stored(log, t, "long", Long.MAX_VALUE / 2, null, UUID.randomUUID().toString());
        Thread.sleep(200);
        assertEquals(List.of("long"), payloads(log.pending("u/c", t, 0, 10, System.currentTimeMillis())), "ttl");
        Thread.sleep(600);
        log.trim(System.currentTimeMillis());
        assertEquals(List.of(), log.pending("u/c", t, 0, 10, System.currentTimeMillis()), "retention");
    }

    @Test
    void topicsAreSeparate() {
        TopicLog log = log();
        log.startConsumer("u/c", topic("x"));
        log.startConsumer("u/c", topic("y"));
        stored(log, topic("x"), "x1");
        stored(log, topic("y"), "y1");
        assertEquals(List.of("x1"), payloads(log.pending("u/c", topic("x"), 0, 10, System.currentTimeMillis())));
        assertEquals(List.of("y1"), payloads(log.pending("u/c", topic("y"), 0, 10, System.currentTimeMillis())));
    }
}
