package io.relaymesh.domain.port;

import io.relaymesh.domain.model.Envelope;

import java.time.Duration;
import java.util.function.Consumer;

/** The inbound stream of events (JetStream in cluster mode); each must be settled exactly once. */
public interface EventSource extends AutoCloseable {

    /** An event with its settlement actions. */
    interface Inbound {
        Envelope envelope();

        /** 1 for the first delivery of this event, more for redeliveries. */
        default long deliveryAttempt() {
            return 1;
        }

        /** Delivered to every target: do not redeliver. */
        void ack();

        /** Not delivered yet: redeliver after {@code delay}. */
        void nak(Duration delay);

        /** Never deliverable (malformed): drop it for good. */
        void term(String reason);
    }

    /** Starts consuming; the handler runs off the source's dispatcher thread. */
    void start(Consumer<Inbound> handler);

    @Override
    void close();
}
