package io.relaymesh.application.dialect.topics;

import io.relaymesh.domain.topics.TopicLog;
import io.relaymesh.domain.topics.TopicMessage;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.dialect.DialectSessions;
import io.relaymesh.domain.port.Clock;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * WebSocket subscriptions: joining a topic's route key, replaying what the subscriber's consumer
 * missed (not acked, within retention), then live messages, each once and in order; leaving;
 * acking. Frames are the caller's: it passes how a message is written. Thread-safe.
 */
public final class TopicSubscriptions {

    /** The outcome of joining topics. */
    public sealed interface Joined {
        /** Joined {@code topics} (new ones; already subscribed ones are left as they are). */
        record Ok(List<String> topics) implements Joined {
        }

        /** Nothing joined; {@code code} and {@code message} say why. */
        record Refused(String code, String message) implements Joined {
        }
    }

    private final TopicLog log;
    private final DialectSessions sessions;
    private final Clock clock;
    private final Supplier<TopicsSettings> settings;

    public TopicSubscriptions(TopicLog log, DialectSessions sessions, Clock clock, Supplier<TopicsSettings> settings) {
        this.log = log;
        this.sessions = sessions;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * Joins {@code topics} for {@code subscriber}; their live messages are held back until
     * {@link #replay}. {@code clientId} (may be null) names its consumer, once per connection.
     */
    public Joined join(LocalSession session, Subscriber subscriber, List<String> topics, String clientId) {
        if (clientId != null && !subscriber.nameClient(clientId)) {
            return new Joined.Refused("BadRequest", "client_id is already " + subscriber.clientId()
                    + " on this connection; open another connection for another client id");
        }
        int max = settings.get().maxTopicsPerClient();
        if (subscriber.topics().size() + topics.size() > max) {
            return new Joined.Refused("TooManyTopics", "at most " + max + " topics per connection");
        }
        String consumer = subscriber.consumer();
        List<String> joined = new ArrayList<>();
        for (String topic : topics) {
            if (subscriber.open(topic) == null) {
                continue;
            }
            if (consumer != null) {
                log.startConsumer(consumer, topic);
            }
            if (!sessions.join(session, Topics.routeKey(topic))) {
                subscriber.remove(topic);
                return new Joined.Refused("SubscriptionFailure", "could not subscribe to " + topic
                        + " (the route registry is unavailable); try again shortly");
            }
            joined.add(topic);
        }
        return new Joined.Ok(joined);
    }

    /**
     * Sends each joined topic's missed messages (for a subscriber with a client id), then opens
     * its gate to live messages. Returns how many were replayed.
     */
    public int replay(LocalSession session, Subscriber subscriber, List<String> topics,
                      Function<TopicMessage, String> render) {
        String consumer = subscriber.consumer();
        int replayed = 0;
        for (String topic : topics) {
            Subscriber.Gate gate = subscriber.gate(topic);
            if (gate == null) {
                continue;
            }
            if (consumer != null) {
                for (TopicMessage missed : log.pending(consumer, topic, 0, settings.get().replayLimit(),
                        clock.millis())) {
                    sessions.send(session, render.apply(missed));
                    gate.replayed(missed.seq());
                    replayed++;
                }
            }
            gate.release(message -> sessions.send(session, render.apply(message)));
        }
        return replayed;
    }

    /** Leaves {@code topics}; returns those it was subscribed to. */
    public List<String> leave(LocalSession session, Subscriber subscriber, List<String> topics) {
        List<String> left = new ArrayList<>();
        for (String topic : topics) {
            if (subscriber.remove(topic)) {
                sessions.leave(session, Topics.routeKey(topic));
                left.add(topic);
            }
        }
        return left;
    }

    /** Whether the subscriber may send one more ack frame now. */
    public boolean allowAck(Subscriber subscriber) {
        return subscriber.allowAck(settings.get().maxAcksPerSecond());
    }

    /**
     * Acks for the subscriber's consumer; returns the unknown ids. Not flushed: an ack frame has no
     * answer, and a seed client acks every message, so the socket's reader does not wait for a
     * commit; the log makes it durable within a second (a crash before then redelivers it).
     */
    public List<String> ack(Subscriber subscriber, List<String> messageIds) {
        return log.ack(subscriber.consumer(), messageIds);
    }
}
