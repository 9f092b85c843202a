package io.relaymesh.adapters.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.port.EventPublisher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Publishes events to JetStream on their own subject, with {@code Nats-Msg-Id} = event id so a
 * retried publish inside the stream's duplicate window is stored once (reported as
 * {@link Published.Duplicate}), and {@code Relaymesh-Published-At} for latency. Waits for the
 * stream's acknowledgement at most {@link NatsSettings#requestTimeout()}. Thread-safe.
 */
public final class JetStreamEventPublisher implements EventPublisher {
    private final NatsConnections nats;
    private final NatsSettings settings;
    private final java.util.function.UnaryOperator<String> streamOf;

    public JetStreamEventPublisher(NatsConnections nats) {
        this(nats, subject -> nats.settings().streamName());
    }

    /** @param streamOf the stream that must store a subject (the primary or the dialects' stream) */
    public JetStreamEventPublisher(NatsConnections nats, java.util.function.UnaryOperator<String> streamOf) {
        this.nats = Objects.requireNonNull(nats, "nats");
        this.settings = nats.settings();
        this.streamOf = Objects.requireNonNull(streamOf, "streamOf");
    }

    /**
     * @throws PortUnavailableException when JetStream did not store the event in time (no server,
     *                                  no stream for the subject, timeout)
     */
    @Override
    public Published publish(Envelope event) {
        Objects.requireNonNull(event, "event");
        Headers headers = new Headers()
                .add(EventHeaders.PUBLISHED_AT, Long.toString(event.publishedAtMillis()));
        String subject = event.subject();
        PublishOptions publishOptions = PublishOptions.builder()
                .messageId(event.id())
                .expectedStream(streamOf.apply(subject))
                .streamTimeout(settings.requestTimeout())
                .build();
        try {
            PublishAck ack = nats.jetStream().publish(subject, headers,
                    event.payload(), publishOptions);
            return ack.isDuplicate()
                    ? new Published.Duplicate(event.id())
                    : new Published.Accepted(event.id(), -1);
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            throw new PortUnavailableException("nats", "publishing event " + event.id() + " to " + subject
                    + " failed: " + e.getMessage(), e);
        }
    }
}
