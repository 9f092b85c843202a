package io.relaymesh.application.dialect.topics;

import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.topics.TopicMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriberTest {
    private final Subscriber subscriber = new Subscriber("u1", Instant.MAX);

    private static Envelope stored(String topic, long seq) {
        return Topics.envelope(new TopicMessage("m" + seq, topic, seq, "{}", 1, Long.MAX_VALUE));
    }

    @Test
    void whileReplaying_liveMessagesAreHeld_thenSentOnceInOrder_afterWhatWasReplayed() {
        Subscriber.Gate gate = subscriber.open("t");
        assertFalse(subscriber.mayReceive(stored("t", 5)), "held during the replay");
        assertFalse(subscriber.mayReceive(stored("t", 4)));
        assertFalse(subscriber.mayReceive(stored("t", 3)));
        gate.replayed(3); // the replay read up to 3 from the store
        List<Long> released = new ArrayList<>();
        gate.release(m -> released.add(m.seq()));
        assertEquals(List.of(4L, 5L), released, "held ones newer than the replay, in sequence order");
        assertFalse(subscriber.mayReceive(stored("t", 2)), "one the replay sent is not sent again");
        assertTrue(subscriber.mayReceive(stored("t", 7)));
        assertTrue(subscriber.mayReceive(stored("t", 6)), "live ones arriving out of order are not dropped");
    }

    @Test
    void onlySubscribedTopicsPass_andAMessageNeverStoredPassesOnceOpen() {
        assertFalse(subscriber.mayReceive(stored("other", 1)));
        Subscriber.Gate gate = subscriber.open("t");
        Envelope unstored = new Envelope("e1", List.of(Topics.routeKey("t")), "{}".getBytes(),
                Map.of(Topics.TOPIC, "t"), 1);
        assertFalse(subscriber.mayReceive(unstored), "not while replaying");
        gate.release(m -> { });
        assertTrue(subscriber.mayReceive(unstored));
        assertNull(subscriber.open("t"), "subscribed already");
    }

    @Test
    void acksHaveABurstOfTwiceTheirRate_fromTheFirst() {
        for (int i = 0; i < 20; i++) {
            assertTrue(subscriber.allowAck(10), "ack " + i);
        }
        assertFalse(subscriber.allowAck(10));
    }

    @Test
    void theClientIdIsSetOnce_andNamesAConsumerWithinItsUser() {
        assertNull(subscriber.consumer());
        assertTrue(subscriber.nameClient("c1"));
        assertTrue(subscriber.nameClient("c1"));
        assertFalse(subscriber.nameClient("c2"));
        assertEquals("u1/c1", subscriber.consumer());
    }
}
