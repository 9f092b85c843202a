package io.relaymesh.adapters.grpc;

import com.google.protobuf.ByteString;
import io.relaymesh.domain.model.Event;
import io.relaymesh.domain.model.EventSubject;
import io.relaymesh.domain.model.Names;

/** Conversion between domain events and their protobuf messages on the pod-to-pod wire. */
final class EventMessages {

    /** A received event: usable, or rejected with the metric reason and a description. */
    sealed interface Decoded {
        record Ok(Event event) implements Decoded {
        }

        /**
         * @param eventId the id as received, fit for a log line ({@link Names#printable})
         * @param metric  {@code invalid_event_id}, {@code invalid_subject} or {@code invalid_payload}
         */
        record Rejected(String eventId, String metric, String reason) implements Decoded {
        }
    }

    private EventMessages() {
    }

    static io.relaymesh.proto.v1.Event toProto(Event event) {
        return io.relaymesh.proto.v1.Event.newBuilder()
                .setEventId(event.eventId())
                .setSubject(event.subject().value())
                .setPayloadJson(ByteString.copyFromUtf8(event.payloadJson()))
                .setPublishedAtMs(event.publishedAtMillis())
                .build();
    }

    /**
     * The event, if its id, subject and payload are what a pod of this cluster sends: the payload
     * goes into client frames as it is, so a forged one must not get that far.
     */
    static Decoded fromProto(io.relaymesh.proto.v1.Event message) {
        String id = message.getEventId();
        String printableId = Names.printable(id);
        String idProblem = Names.eventIdProblem(id);
        if (idProblem != null) {
            return new Decoded.Rejected(printableId, "invalid_event_id", "event_id " + idProblem);
        }
        EventSubject subject;
        switch (EventSubject.parse(message.getSubject())) {
            case EventSubject.Parsed.Invalid invalid -> {
                return new Decoded.Rejected(printableId, "invalid_subject", invalid.reason());
            }
            case EventSubject.Parsed.Ok ok -> subject = ok.subject();
        }
        String payloadProblem = JsonPayloads.problemWith(message.getPayloadJson().toByteArray());
        if (payloadProblem != null) {
            return new Decoded.Rejected(printableId, "invalid_payload", payloadProblem);
        }
        return new Decoded.Ok(new Event(id, subject, message.getPayloadJson().toStringUtf8(),
                message.getPublishedAtMs()));
    }
}
