package io.relaymesh.application.delivery;

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

    public DirectEventPublisher(EventDelivery delivery, GatewayMetrics metrics) {
        this.delivery = delivery;
        this.metrics = metrics;
    }

    @Override
    public Published publish(Envelope event) {
        metrics.eventHandled();
        DeliveryReport report = delivery.deliver(event);
        return new Published.Accepted(event.id(), report.localQueued());
    }
}
