package io.relaymesh.adapters.grpc;

import com.google.protobuf.ByteString;
import io.relaymesh.domain.model.Event;
import io.relaymesh.domain.model.EventSubject;

/** Conversion between domain events and their protobuf messages on the pod-to-pod wire. */
final class EventMessages {

    /** A received event: usable, or rejected with the reason. */
    sealed interface Decoded {
        record Ok(Event event) implements Decoded {
        }

        record Rejected(String eventId, String reason) implements Decoded {
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

    static Decoded fromProto(io.relaymesh.proto.v1.Event message) {
        String id = message.getEventId();
        if (id.isBlank()) {
            return new Decoded.Rejected(id, "event_id is empty");
        }
        return switch (EventSubject.parse(message.getSubject())) {
            case EventSubject.Parsed.Invalid invalid -> new Decoded.Rejected(id, invalid.reason());
            case EventSubject.Parsed.Ok ok -> new Decoded.Ok(
                    new Event(id, ok.subject(), message.getPayloadJson().toStringUtf8(), message.getPublishedAtMs()));
        };
    }
}
