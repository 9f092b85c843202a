package io.relaymesh.application.dialect.topics;

import io.relaymesh.domain.topics.TopicLog;
import io.relaymesh.domain.topics.TopicMessage;
import io.relaymesh.domain.port.Clock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Long-poll consumers: a poll answers at once with the messages its consumer has not acked, or
 * waits for the next message of its topics (published on any pod) until its timeout; an ack
 * removes messages from what the consumer's next polls and reconnects get. Thread-safe; a poll
 * blocks its (virtual) thread.
 */
public final class LongPoll {
    private final TopicLog log;
    private final TopicWaiters waiters;
    private final Clock clock;
    private final Supplier<TopicsSettings> settings;

    public LongPoll(TopicLog log, TopicWaiters waiters, Clock clock, Supplier<TopicsSettings> settings) {
        this.log = log;
        this.waiters = waiters;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * The consumer's pending messages of {@code topics} (in publish order per topic), waiting up to
     * {@code timeout} for one when there are none; empty at the timeout.
     */
    public List<TopicMessage> poll(String consumer, List<String> topics, Duration timeout) throws InterruptedException {
        for (String topic : topics) {
            log.startConsumer(consumer, topic);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            // Registered before reading: a message stored after the read still wakes this poll.
            TopicWaiters.Waiter waiter = waiters.await(topics);
            try {
                List<TopicMessage> pending = pending(consumer, topics);
                if (!pending.isEmpty()) {
                    return pending;
                }
                TopicMessage woke = waiter.next(Duration.ofNanos(deadline - System.nanoTime()));
                if (woke == null) {
                    return List.of();
                }
                if (woke.seq() == 0) {
                    // Published on the subject, never stored: it exists only as this envelope.
                    return List.of(woke);
                }
                pending = pending(consumer, topics);
                if (!pending.isEmpty()) {
                    return pending;
                }
            } finally {
                waiters.cancel(waiter, topics);
            }
            if (System.nanoTime() >= deadline) {
                return List.of();
            }
        }
    }

    /**
     * Acks for {@code consumer}, durable on return (the answer says they are recorded); returns the
     * ids that name no retained message.
     */
    public List<String> ack(String consumer, List<String> messageIds) {
        List<String> unknown = log.ack(consumer, messageIds);
        log.flush();
        return unknown;
    }

    private List<TopicMessage> pending(String consumer, List<String> topics) {
        int limit = settings.get().maxPollMessages();
        long now = clock.millis();
        List<TopicMessage> out = new ArrayList<>();
        for (String topic : topics) {
            if (out.size() >= limit) {
                break;
            }
            out.addAll(log.pending(consumer, topic, 0, limit - out.size(), now));
        }
        return out;
    }
}
