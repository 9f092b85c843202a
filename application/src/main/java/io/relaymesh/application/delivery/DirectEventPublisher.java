package io.relaymesh.application.delivery;

import io.relaymesh.domain.port.EventLog;

import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.port.EventPublisher;

/**
 * Standalone publishing: an event goes straight to delivery on this pod (there is no broker and
 * no other pod). Thread-safe.
 */
public final class DirectEventPublisher implements EventPublisher {
    private final EventDelivery delivery;
    private final GatewayMetrics metrics;
    private final EventLog log;

    private final io.relaymesh.application.dialect.Intakes intakes;

    public DirectEventPublisher(EventDelivery delivery, GatewayMetrics metrics) {
        this(delivery, metrics, null);
    }

    /** @param log where each event is kept (and given its position) for clients that resume; null: none */
    public DirectEventPublisher(EventDelivery delivery, GatewayMetrics metrics, EventLog log) {
        this(delivery, metrics, log, io.relaymesh.application.dialect.Intakes.NONE);
    }

    /** @param intakes what dialects do with an event before it is delivered (a mailbox stores it) */
    public DirectEventPublisher(EventDelivery delivery, GatewayMetrics metrics, EventLog log,
                                io.relaymesh.application.dialect.Intakes intakes) {
        this.delivery = delivery;
        this.metrics = metrics;
        this.log = log;
        this.intakes = intakes;
    }

    @Override
    public Published publish(Envelope event) {
        metrics.eventHandled();
        Envelope taken = intakes.take(event);
        Envelope positioned = log == null ? taken : log.append(taken);
        DeliveryReport report = delivery.deliver(positioned);
        return new Published.Accepted(event.id(), report.localQueued());
    }
}
