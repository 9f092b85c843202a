package io.relaymesh.domain.port;

import io.relaymesh.domain.model.Envelope;

/**
 * A history the gateway writes itself (standalone: there is no broker to keep one): each envelope
 * published is appended, given its position, before it is delivered. Thread-safe.
 */
public interface EventLog extends EventHistory {

    /** Appends {@code envelope}; returns it with its {@link Envelope#POSITION} attribute. */
    Envelope append(Envelope envelope);
}
