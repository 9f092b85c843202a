package io.relaymesh.application.dialect.topics;

import io.relaymesh.application.dialect.Intake;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.topics.TopicLog;

import java.util.function.Supplier;

/**
 * Messages backends publish on {@code topics.{topic}} (HTTP {@code /api/v1/publish}, JetStream) are
 * retained like those of {@code POST /api/v1/messages}: stored on the pod that consumes them, then
 * delivered with their sequence. A redelivered one is found by its id and delivered as first
 * stored. Thread-safe.
 */
public final class TopicsIntake implements Intake {
    private final TopicLog log;
    private final Clock clock;
    private final Supplier<TopicsSettings> settings;

    public TopicsIntake(TopicLog log, Clock clock, Supplier<TopicsSettings> settings) {
        this.log = log;
        this.clock = clock;
        this.settings = settings;
    }

    @Override
    public boolean takes(Envelope envelope) {
        return envelope.attribute(Topics.TOPIC) != null && envelope.attribute(Topics.SEQ) == null
                && envelope.audience().getFirst().namespace().equals(Topics.NAMESPACE);
    }

    @Override
    public String problem(Envelope envelope) {
        int max = settings.get().maxPayloadBytes();
        return envelope.payload().length > max ? "payload is " + envelope.payload().length + " bytes; at most " + max
                + " are accepted for topics (dialects.topics.max_payload_bytes)" : null;
    }

    @Override
    public Envelope take(Envelope envelope) {
        String problem = problem(envelope);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        long now = clock.millis();
        TopicLog.Appended appended = log.append(new TopicLog.NewMessage(envelope.id(), envelope.attribute(Topics.TOPIC),
                envelope.payloadText(), now, now + settings.get().retention().toMillis(), null));
        return switch (appended) {
            case TopicLog.Appended.Stored stored -> Topics.envelope(stored.message());
            case TopicLog.Appended.Duplicate duplicate -> duplicate.original().seq() > 0
                    ? Topics.envelope(duplicate.original()) : envelope;
        };
    }
}
