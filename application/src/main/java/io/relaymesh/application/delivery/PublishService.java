package io.relaymesh.application.delivery;

import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.SubjectBinding;
import io.relaymesh.domain.model.SubjectBindings;
import io.relaymesh.domain.model.Names;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.EventPublisher;
import io.relaymesh.domain.port.IdGenerator;

/** The publish use case behind {@code POST /api/v1/publish}. Thread-safe. */
public final class PublishService {

    /** Outcome of a publish request. */
    public sealed interface Outcome {
        record Done(EventPublisher.Published published) implements Outcome {
        }

        /** The request is invalid; {@code field} names the offending field. */
        record Invalid(String field, String message) implements Outcome {
        }
    }

    private final EventPublisher publisher;
    private final SubjectBindings bindings;
    private final Clock clock;
    private final IdGenerator ids;
    private final io.relaymesh.application.metrics.GatewayMetrics metrics;

    private final io.relaymesh.application.dialect.Intakes intakes;

    public PublishService(EventPublisher publisher, SubjectBindings bindings, Clock clock, IdGenerator ids,
                          io.relaymesh.application.metrics.GatewayMetrics metrics) {
        this(publisher, bindings, clock, ids, metrics, io.relaymesh.application.dialect.Intakes.NONE);
    }

    /** @param intakes the dialects' checks of what backends publish on their subjects */
    public PublishService(EventPublisher publisher, SubjectBindings bindings, Clock clock, IdGenerator ids,
                          io.relaymesh.application.metrics.GatewayMetrics metrics,
                          io.relaymesh.application.dialect.Intakes intakes) {
        this.intakes = intakes;
        this.publisher = publisher;
        this.bindings = bindings;
        this.clock = clock;
        this.ids = ids;
        this.metrics = metrics;
    }

    /** The route keys {@code subject} goes to, if it is a subject of an inbound binding (for log lines). */
    public java.util.Optional<java.util.List<io.relaymesh.domain.model.RouteKey>> audienceOf(String subject) {
        return bindings.resolve(subject) instanceof SubjectBindings.Resolved.Ok ok
                ? java.util.Optional.of(ok.match().audience()) : java.util.Optional.empty();
    }

    /**
     * Publishes {@code payloadJson} (a JSON object, checked by the caller) to {@code subject}.
     *
     * @param eventId the payload's {@code event_id} if it has one, else null (one is generated)
     */
    public Outcome publish(String subject, String payloadJson, String eventId) {
        SubjectBinding.Match match;
        switch (bindings.resolve(subject)) {
            case SubjectBindings.Resolved.Ok ok -> match = ok.match();
            case SubjectBindings.Resolved.Invalid invalid -> {
                return new Outcome.Invalid("subject", invalid.reason());
            }
        }
        if (eventId != null && eventId.isBlank()) {
            return new Outcome.Invalid("payload.event_id", "payload.event_id must not be blank when present");
        }
        String idProblem = eventId == null ? null : Names.eventIdProblem(eventId);
        if (idProblem != null) {
            return new Outcome.Invalid("payload.event_id", "payload.event_id " + idProblem);
        }
        String id = eventId == null ? ids.next() : eventId;
        Envelope event = SubjectBindings.envelope(match, subject, id,
                payloadJson.getBytes(java.nio.charset.StandardCharsets.UTF_8), clock.millis());
        String problem = intakes.problem(event);
        if (problem != null) {
            return new Outcome.Invalid("payload", problem);
        }
        EventPublisher.Published published = publisher.publish(event);
        metrics.eventPublished();
        return new Outcome.Done(published);
    }
}
