package io.relaymesh.adapters.web.dialect.conversations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.relaymesh.application.dialect.conversations.ConversationsMetrics;

/** The conversations dialect's counters, each labelled {@code dialect="conversations"}. Thread-safe. */
public final class MicrometerConversationsMetrics implements ConversationsMetrics {
    private final MeterRegistry registry;

    public MicrometerConversationsMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void typing(String state) {
        counter("relaymesh_conversations_typing_events", "state", state).increment();
    }

    @Override
    public void presenceChanged(String status) {
        counter("relaymesh_conversations_presence_changes", "status", status).increment();
    }

    @Override
    public void pubSub(String outcome) {
        counter("relaymesh_conversations_pubsub_messages", "outcome", outcome).increment();
    }

    @Override
    public void idleClosed() {
        Counter.builder("relaymesh_conversations_idle_closed").tag("dialect", "conversations").register(registry).increment();
    }

    private Counter counter(String name, String tag, String value) {
        return Counter.builder(name).tag("dialect", "conversations").tag(tag, value).register(registry);
    }
}
