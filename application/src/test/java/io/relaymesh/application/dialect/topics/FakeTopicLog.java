package io.relaymesh.application.dialect.topics;

import io.relaymesh.domain.topics.TopicLog;
import io.relaymesh.domain.topics.TopicMessage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A topic log in memory for the use cases' unit tests: every message kept, no trimming. */
class FakeTopicLog implements TopicLog {
    final List<TopicMessage> messages = new ArrayList<>();
    private final Map<String, String> idempotency = new HashMap<>();
    private final Map<String, Long> starts = new HashMap<>();
    private final Set<String> acks = new HashSet<>();
    boolean failing;
    boolean flushFailing;
    /** How many appended messages were unflushed at each flush, in order. */
    final List<Integer> flushes = new ArrayList<>();
    private int unflushed;

    @Override
    public synchronized Appended append(NewMessage m) {
        if (failing) {
            throw new IllegalStateException("store down");
        }
        String known = m.idempotencyKey() == null ? null : idempotency.get(m.idempotencyKey());
        for (TopicMessage existing : messages) {
            if (existing.messageId().equals(known != null ? known : m.messageId())) {
                return new Appended.Duplicate(existing);
            }
        }
        TopicMessage stored = new TopicMessage(m.messageId(), m.topic(), messages.size() + 1, m.payloadJson(),
                m.publishedAtMillis(), m.expiresAtMillis());
        messages.add(stored);
        unflushed++;
        if (m.idempotencyKey() != null) {
            idempotency.put(m.idempotencyKey(), m.messageId());
        }
        return new Appended.Stored(stored);
    }

    @Override
    public synchronized void flush() {
        if (flushFailing) {
            throw new IllegalStateException("commit failed");
        }
        flushes.add(unflushed);
        unflushed = 0;
    }

    @Override
    public synchronized void startConsumer(String consumer, String topic) {
        starts.putIfAbsent(consumer + "|" + topic, (long) messages.size());
    }

    @Override
    public synchronized List<TopicMessage> pending(String consumer, String topic, long afterSeq, int limit, long now) {
        long from = Math.max(afterSeq, starts.getOrDefault(consumer + "|" + topic, 0L));
        return messages.stream().filter(m -> m.topic().equals(topic) && m.seq() > from
                && !acks.contains(consumer + "|" + m.messageId())).limit(limit).toList();
    }

    @Override
    public synchronized List<String> ack(String consumer, List<String> messageIds) {
        List<String> unknown = new ArrayList<>();
        for (String id : messageIds) {
            if (messages.stream().anyMatch(m -> m.messageId().equals(id))) {
                acks.add(consumer + "|" + id);
            } else {
                unknown.add(id);
            }
        }
        return unknown;
    }

    @Override
    public void trim(long nowMillis) {
    }

    @Override
    public void close() {
    }
}
