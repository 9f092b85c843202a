package io.relaymesh.adapters.nats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.impl.Headers;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.SubjectBinding;
import io.relaymesh.domain.model.SubjectBindings;
import io.relaymesh.domain.model.Names;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Turns a JetStream message into an {@link Envelope}, or says why it never can be (then the
 * message is terminated, not redelivered). Rules:
 * <ul>
 *   <li>the subject must match one of the dialects' inbound bindings ({@link SubjectBindings});</li>
 *   <li>the payload must be exactly one JSON object, nothing after it (it is handed on unchanged,
 *       so trailing text would add fields to the client's frame);</li>
 *   <li>event id: the payload's {@code event_id} string, else the {@code Nats-Msg-Id} header, else
 *       {@code {stream}-{stream sequence}} (stable across redeliveries, so clients can deduplicate);
 *       a given id must pass {@link Names#eventIdProblem} (length and characters);</li>
 *   <li>published at: the {@code Relaymesh-Published-At} header (epoch ms), else the JetStream
 *       timestamp of the message.</li>
 * </ul>
 * Thread-safe.
 */
final class EventDecoder {
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final SubjectBindings bindings;

    EventDecoder(SubjectBindings bindings) {
        this.bindings = bindings;
    }

    /** The outcome of decoding one message. */
    sealed interface Decoded {
        record Ok(Envelope envelope) implements Decoded {
        }

        record Rejected(String reason) implements Decoded {
        }
    }

    Decoded decode(String subject, byte[] data, Headers headers, String stream, long streamSequence,
                   long timestampMillis) {
        return decode(subject, data, headers, stream, streamSequence, timestampMillis, null);
    }

    /** As above; with an {@code epoch}, the envelope's position is {@code <epoch>:<stream sequence>}. */
    Decoded decode(String subject, byte[] data, Headers headers, String stream, long streamSequence,
                   long timestampMillis, String epoch) {
        SubjectBinding.Match match;
        switch (bindings.resolve(subject)) {
            case SubjectBindings.Resolved.Ok ok -> match = ok.match();
            case SubjectBindings.Resolved.Invalid invalid -> {
                return new Decoded.Rejected(invalid.reason());
            }
        }
        if (data == null || data.length == 0) {
            return new Decoded.Rejected("payload is empty; expected a JSON object");
        }
        JsonNode payload;
        try {
            payload = json.readTree(data);
        } catch (JsonProcessingException e) {
            return new Decoded.Rejected("payload is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Decoded.Rejected("payload is not readable: " + e.getMessage());
        }
        if (payload == null || !payload.isObject()) {
            return new Decoded.Rejected("payload is " + (payload == null ? "empty" : payload.getNodeType().name()
                    .toLowerCase()) + "; expected a JSON object");
        }
        String eventId = eventId(payload, headers, stream, streamSequence);
        String idProblem = Names.eventIdProblem(eventId);
        if (idProblem != null) {
            return new Decoded.Rejected("event_id " + idProblem);
        }
        long publishedAt = publishedAt(headers, timestampMillis);
        return new Decoded.Ok(SubjectBindings.envelope(match, subject, eventId, data, publishedAt,
                epoch == null ? null : epoch + ":" + streamSequence));
    }

    private static String eventId(JsonNode payload, Headers headers, String stream, long streamSequence) {
        JsonNode fromPayload = payload.get("event_id");
        if (fromPayload != null && fromPayload.isTextual() && !fromPayload.asText().isBlank()) {
            return fromPayload.asText();
        }
        String fromHeader = header(headers, EventHeaders.MSG_ID);
        if (fromHeader != null && !fromHeader.isBlank()) {
            return fromHeader;
        }
        return stream + "-" + streamSequence;
    }

    private static long publishedAt(Headers headers, long timestampMillis) {
        String value = header(headers, EventHeaders.PUBLISHED_AT);
        if (value != null) {
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException ignored) {
                // A foreign publisher wrote something else: the JetStream time is the next best thing.
            }
        }
        return timestampMillis;
    }

    private static String header(Headers headers, String name) {
        return headers == null ? null : headers.getFirst(name);
    }
}
