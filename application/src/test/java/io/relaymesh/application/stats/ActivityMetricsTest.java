package io.relaymesh.application.stats;

import io.relaymesh.application.fakes.CountingMetrics;
import io.relaymesh.application.metrics.GatewayMetrics;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ActivityMetricsTest {
    private final CountingMetrics counting = new CountingMetrics();
    private final PodActivity activity = new PodActivity();
    private final GatewayMetrics metrics = new ActivityMetrics(counting, activity);

    @Test
    void framesLatencyAndEvents_feedTheActivity_andStillReachTheDelegate() {
        metrics.messageSent();
        metrics.messageSent();
        metrics.deliveryLatency(7);
        metrics.eventHandled();

        PodActivity.Sample sample = activity.sample(0);
        assertEquals(2, sample.frames());
        assertEquals(1, sample.events());
        assertEquals(7, sample.maxLatencySincePrevious());
        assertEquals(2, counting.count("message_sent"));
        assertEquals(1, counting.count("delivery_latency"));
        assertEquals(1, counting.count("event_handled"));
    }

    @Test
    void onlyBackPressureDrops_countAsDropped() {
        metrics.messageDropped("drop_oldest");
        metrics.messageDropped("slow_consumer");
        metrics.messageDropped("closed");

        assertEquals(2, activity.sample(0).dropped());
        assertEquals(1, counting.count("message_dropped:closed"));
    }

    @Test
    void everythingElse_passesThrough() {
        metrics.connectionOpened(GatewayMetrics.Kind.user);
        metrics.eventConsumed();
        metrics.sessionTakeover("local");

        assertEquals(1, counting.count("connection_opened:user"));
        assertEquals(1, counting.count("event_consumed"));
        assertEquals(1, counting.count("session_takeover:local"));
        assertEquals(0, activity.sample(0).events(), "a consumed event counts once, as handled");
    }
}
