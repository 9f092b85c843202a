package io.relaymesh.adapters.web.dialect.topics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * The topics dialect's own metrics, each labelled {@code dialect="topics"} (connections, frames
 * and errors of its sockets are counted by the shared dialect listener): messages published by
 * outcome, replayed, acked, long-polls by outcome and their wait, and frame errors by code.
 * Thread-safe.
 */
public final class TopicsMeters {
    static final String DIALECT = "topics";
    private final MeterRegistry registry;

    public TopicsMeters(MeterRegistry registry) {
        this.registry = registry;
        for (String outcome : new String[]{"accepted", "duplicate", "rejected"}) {
            published(outcome, 0);
        }
    }

    void published(String outcome, int n) {
        Counter.builder("relaymesh_topics_messages_published_total").tag("dialect", DIALECT).tag("outcome", outcome)
                .description("Messages sent by producers: accepted (stored and delivered), duplicate (a retry), rejected")
                .register(registry).increment(n);
    }

    void replayed(int n) {
        Counter.builder("relaymesh_topics_messages_replayed_total").tag("dialect", DIALECT)
                .description("Missed messages sent to a subscriber that came back with its client id")
                .register(registry).increment(n);
    }

    void acked(int n) {
        Counter.builder("relaymesh_topics_acks_total").tag("dialect", DIALECT)
                .description("Messages acked by consumers (WebSocket and long-poll)").register(registry).increment(n);
    }

    void polled(String outcome, Duration waited) {
        Timer.builder("relaymesh_topics_polls").tag("dialect", DIALECT).tag("outcome", outcome)
                .description("Long-poll requests by outcome (messages, timeout) and how long they waited")
                .register(registry).record(waited);
    }

    void error(String code) {
        Counter.builder("relaymesh_topics_errors_total").tag("dialect", DIALECT).tag("code", code)
                .description("Requests and frames refused, by error code").register(registry).increment();
    }
}
