package io.relaymesh.application.dialect;

import io.relaymesh.domain.model.Envelope;

/**
 * A dialect's step for envelopes that backends publish on its subjects (HTTP publish, JetStream),
 * before the core delivers them: a dialect whose messages must be kept (a mailbox) stores them
 * here. Implementations are thread-safe.
 */
public interface Intake {

    /** Whether {@code envelope} (resolved from one of the inbound subjects) belongs to this intake. */
    boolean takes(Envelope envelope);

    /**
     * What is wrong with {@code envelope}, or null: checked before it is published, so that the
     * publisher is told (an HTTP 400) rather than the event being dropped later.
     */
    String problem(Envelope envelope);

    /**
     * Takes {@code envelope} on the pod that consumed it and returns what to deliver.
     *
     * @throws IllegalArgumentException when it can never be taken (it is dropped, with the reason)
     * @throws RuntimeException         any other: not now (it is retried)
     */
    Envelope take(Envelope envelope);
}
