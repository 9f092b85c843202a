package io.relaymesh.domain.topics;

import java.util.List;

/**
 * The retained messages of every topic and, per consumer, where it started and what it acked.
 * A consumer is a name (a client id scoped to its user); it starts at the end of a
 * topic the first time it reads it, and from then on every message after that start that it has
 * not acked is pending for it. Implementations trim by age (retention), by each message's own ttl
 * and by count per topic, and are thread-safe. Cluster: Redis Streams; standalone: an embedded
 * file store.
 */
public interface TopicLog extends AutoCloseable {

    /** A message to append; {@code idempotencyKey} may be null. */
    record NewMessage(String messageId, String topic, String payloadJson, long publishedAtMillis,
                      long expiresAtMillis, String idempotencyKey) {
    }

    /** What an append did. */
    sealed interface Appended {
        /** Stored, with its sequence. */
        record Stored(TopicMessage message) implements Appended {
        }

        /**
         * Not stored: the message id or idempotency key was seen within retention. {@code original}
         * is the message stored then (its payload may be empty).
         */
        record Duplicate(TopicMessage original) implements Appended {
        }
    }

    /**
     * Writes {@code message}: readable (pending, pollable) on return, durable once {@link #flush}
     * returns after it. A log whose appends are durable on return does nothing in flush.
     */
    Appended append(NewMessage message);

    /**
     * Blocks until every append and ack that returned before this call is durable, sharing the
     * work with other threads. Answer a producer (or an ack over HTTP) only after it.
     */
    default void flush() {
    }

    /** Makes {@code consumer} start at the current end of {@code topic} unless it already has a start. */
    void startConsumer(String consumer, String topic);

    /**
     * Up to {@code limit} messages of {@code topic} after {@code afterSeq} (and after the consumer's
     * start) that {@code consumer} has not acked and that are live at {@code nowMillis}, in order.
     */
    List<TopicMessage> pending(String consumer, String topic, long afterSeq, int limit, long nowMillis);

    /**
     * Records acks; returns the ids that name no retained message (already trimmed, or never
     * published). Durable once {@link #flush} returns after it, or (without one) soon after.
     */
    List<String> ack(String consumer, List<String> messageIds);

    /** Drops what retention, ttl and the per-topic count no longer keep. */
    void trim(long nowMillis);

    @Override
    void close();
}
