package io.relaymesh.domain.port;

import io.relaymesh.domain.model.Envelope;

/** Publishes an event into the delivery pipeline (JetStream in cluster mode, direct standalone). */
public interface EventPublisher {

    /** Outcome of a publish. */
    sealed interface Published {
        /** Accepted; {@code delivered} counts local connections reached when delivery was direct, else -1. */
        record Accepted(String eventId, int delivered) implements Published {
        }

        record Duplicate(String eventId) implements Published {
        }
    }

    Published publish(Envelope envelope);
}
