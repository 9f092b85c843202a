package io.relaymesh.application.dialect;

import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.port.EventSource;

import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every enabled dialect's {@link Intake}, applied to backends' envelopes on their way to delivery:
 * an envelope no intake takes passes unchanged. Immutable and thread-safe.
 */
public final class Intakes {
    private static final Logger LOG = Logger.getLogger(Intakes.class.getName());
    public static final Intakes NONE = new Intakes(List.of());

    private final List<Intake> intakes;

    public Intakes(List<Intake> intakes) {
        this.intakes = List.copyOf(intakes);
    }

    /** What is wrong with a backend's envelope for its dialect, or null. */
    public String problem(Envelope envelope) {
        Intake intake = of(envelope);
        return intake == null ? null : intake.problem(envelope);
    }

    /** The envelope to deliver (see {@link Intake#take}). */
    public Envelope take(Envelope envelope) {
        Intake intake = of(envelope);
        return intake == null ? envelope : intake.take(envelope);
    }

    /**
     * A consumed event with its envelope taken; null when the event was settled here instead
     * (terminated when it can never be taken, nak'ed with {@code retryDelay} when not now).
     */
    public EventSource.Inbound take(EventSource.Inbound inbound, Duration retryDelay) {
        Envelope envelope = inbound.envelope();
        Intake intake = of(envelope);
        if (intake == null) {
            return inbound;
        }
        Envelope taken;
        try {
            taken = intake.take(envelope);
        } catch (IllegalArgumentException e) {
            inbound.term(e.getMessage());
            return null;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event_id=" + envelope.id() + " could not be taken; retried", e);
            inbound.nak(retryDelay);
            return null;
        }
        return new EventSource.Inbound() {
            public Envelope envelope() {
                return taken;
            }

            public long deliveryAttempt() {
                return inbound.deliveryAttempt();
            }

            public void ack() {
                inbound.ack();
            }

            public void nak(Duration delay) {
                inbound.nak(delay);
            }

            public void term(String reason) {
                inbound.term(reason);
            }
        };
    }

    private Intake of(Envelope envelope) {
        for (Intake intake : intakes) {
            if (intake.takes(envelope)) {
                return intake;
            }
        }
        return null;
    }
}
