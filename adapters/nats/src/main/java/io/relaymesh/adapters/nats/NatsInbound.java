package io.relaymesh.adapters.nats;

import io.nats.client.Message;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.port.EventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One delivered JetStream message as the domain sees it. The first of ack / nak / term wins and
 * later calls are ignored; settling returns the message's in-flight permit. Settling publishes
 * the ack without waiting: a lost ack only means a redelivery, which clients drop by event id.
 * Thread-safe.
 */
final class NatsInbound implements EventSource.Inbound {
    private static final Logger log = LoggerFactory.getLogger(NatsInbound.class);

    private final Message message;
    private final Envelope event;
    private final String consumer;
    private final InFlightLimit inFlight;
    private final long receivedNanos = System.nanoTime();
    private final AtomicBoolean settled = new AtomicBoolean();

    NatsInbound(Message message, Envelope event, String consumer, InFlightLimit inFlight) {
        this.message = message;
        this.event = event;
        this.consumer = consumer;
        this.inFlight = inFlight;
    }

    @Override
    public Envelope envelope() {
        return event;
    }

    @Override
    public void ack() {
        settle("ack", message::ack);
    }

    @Override
    public void nak(Duration delay) {
        if (delay == null || delay.isNegative() || delay.isZero()) {
            settle("nak", message::nak);
        } else {
            settle("nak", () -> message.nakWithDelay(delay));
        }
    }

    @Override
    public void term(String reason) {
        settle("term", () -> {
            log.warn("Dropping event {} on {} for good: {}", event.id(), event.subject(), reason);
            message.term();
        });
    }

    /** How many times JetStream delivered this message, this delivery included. */
    @Override
    public long deliveryAttempt() {
        return deliveredCount();
    }

    long deliveredCount() {
        return message.metaData().deliveredCount();
    }

    String consumer() {
        return consumer;
    }

    long receivedNanos() {
        return receivedNanos;
    }

    boolean isSettled() {
        return settled.get();
    }

    private void settle(String action, Runnable send) {
        if (!settled.compareAndSet(false, true)) {
            log.debug("Event {} on {} already settled; ignoring {}", event.id(), consumer, action);
            return;
        }
        try {
            send.run();
        } catch (RuntimeException e) {
            // The connection is down or closed: JetStream redelivers after the ack wait.
            log.warn("Could not {} event {} on {} ({}); JetStream will redeliver it", action, event.id(),
                    consumer, e.toString());
        } finally {
            inFlight.settled(this);
        }
    }
}
