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

    public DirectEventPublisher(EventDelivery delivery, GatewayMetrics metrics) {
        this(delivery, metrics, null);
    }

    /** @param log where each event is kept (and given its position) for clients that resume; null: none */
    public DirectEventPublisher(EventDelivery delivery, GatewayMetrics metrics, EventLog log) {
        this.delivery = delivery;
        this.metrics = metrics;
        this.log = log;
    }

    @Override
    public Published publish(Envelope event) {
        metrics.eventHandled();
        Envelope positioned = log == null ? event : log.append(event);
        DeliveryReport report = delivery.deliver(positioned);
        return new Published.Accepted(event.id(), report.localQueued());
    }
}
