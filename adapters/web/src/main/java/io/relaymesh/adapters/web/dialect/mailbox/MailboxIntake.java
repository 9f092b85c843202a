package io.relaymesh.adapters.web.dialect.mailbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.relaymesh.application.dialect.Intake;
import io.relaymesh.application.dialect.mailbox.Mailbox;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SubjectBinding;

import java.util.List;

/**
 * Backends' sends into a mailbox: subject {@code mailbox.{wayfarer_id}} (HTTP publish or the
 * dialects' JetStream stream) with payload {@code {"from","payload_b64","ttl_seconds"}}. Checked
 * before it is published; stored by the pod that consumes it, then pushed like a client's send.
 * Thread-safe.
 */
public final class MailboxIntake implements Intake {
    /** Backends publish into a mailbox on {@code mailbox.{wayfarer_id}}, a subject of the dialects' stream. */
    public static final SubjectBinding BINDING = new SubjectBinding("mailbox", SubjectBinding.Stream.DIALECTS,
            "mailbox.{wayfarer_id}", List.of(Mailbox.NAMESPACE + ":{wayfarer_id}"), SubjectBinding.Start.ALL);

    private final Mailbox mailbox;

    public MailboxIntake(Mailbox mailbox) {
        this.mailbox = mailbox;
    }

    /** A backend's send, checked. */
    private record BackendSend(String from, String to, long ttlSeconds, String payloadB64) {
    }

    @Override
    public boolean takes(Envelope envelope) {
        List<RouteKey> audience = envelope.audience();
        // Only as published: an envelope the intake made (no subject) is delivered as it is.
        return audience.size() == 1 && audience.getFirst().namespace().equals(Mailbox.NAMESPACE)
                && envelope.attribute(Envelope.SUBJECT) != null;
    }

    @Override
    public String problem(Envelope envelope) {
        try {
            read(envelope);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Override
    public Envelope take(Envelope envelope) {
        BackendSend send = read(envelope);
        return mailbox.take(envelope.id(), send.from(), send.to(), send.ttlSeconds(), send.payloadB64());
    }

    private BackendSend read(Envelope envelope) {
        JsonNode payload;
        try {
            payload = MailboxFrames.JSON.readTree(envelope.payload());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payload is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("payload is not readable: " + e.getMessage());
        }
        if (payload == null || !payload.isObject()) {
            throw new IllegalArgumentException("payload must be a JSON object {\"from\",\"payload_b64\",\"ttl_seconds\"}");
        }
        String from = MailboxFrames.wayfarer(payload, "from");
        String body = MailboxFrames.checkedPayload(MailboxFrames.requiredText(payload, "payload_b64"),
                mailbox.settings().maxPayloadBytes(), "payload_b64");
        String to = envelope.audience().getFirst().segments().getFirst();
        return new BackendSend(from, to, MailboxFrames.ttl(payload), body);
    }
}
