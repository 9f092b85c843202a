package io.relaymesh.adapters.grpc;

import com.google.protobuf.ByteString;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import java.util.ArrayList;
import java.util.List;
import io.relaymesh.domain.model.Names;

/** Conversion between domain events and their protobuf messages on the pod-to-pod wire. */
final class EventMessages {

    /** A received event: usable, or rejected with the metric reason and a description. */
    sealed interface Decoded {
        record Ok(Envelope event) implements Decoded {
        }

        /**
         * @param eventId the id as received, fit for a log line ({@link Names#printable})
         * @param metric  {@code invalid_event_id}, {@code invalid_route_key} or {@code invalid_payload}
         */
        record Rejected(String eventId, String metric, String reason) implements Decoded {
        }
    }

    private EventMessages() {
    }

    static io.relaymesh.proto.v1.Event toProto(Envelope event) {
        io.relaymesh.proto.v1.Event.Builder message = io.relaymesh.proto.v1.Event.newBuilder()
                .setEventId(event.id())
                .setSubject(event.subject())
                .setPayloadJson(ByteString.copyFrom(event.payload()))
                .setPublishedAtMs(event.publishedAtMillis())
                .putAllAttributes(event.attributes());
        for (RouteKey key : event.audience()) {
            message.addRouteKeys(key.value());
        }
        if (event.exclude() != null) {
            message.setExcludeConnection(event.exclude().value());
        }
        return message.build();
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
        List<RouteKey> audience = new ArrayList<>(message.getRouteKeysCount());
        for (String key : message.getRouteKeysList()) {
            String problem = RouteKey.problemWith(key);
            if (problem != null) {
                return new Decoded.Rejected(printableId, "invalid_route_key", "route key " + Names.printable(key)
                        + " " + problem);
            }
            audience.add(new RouteKey(key));
        }
        if (audience.isEmpty()) {
            return new Decoded.Rejected(printableId, "invalid_route_key", "the event names no route key");
        }
        // The payload is opaque to the core. An envelope published on a subject entered through
        // an entrance that admits exactly one JSON object (JetStream, HTTP publish), so one that
        // claims a subject and is not one was forged or corrupted on the way; a dialect's own
        // envelopes (a client's relay) carry whatever that dialect relays.
        String payloadProblem = message.getAttributesMap().containsKey(Envelope.SUBJECT)
                ? JsonPayloads.problemWith(message.getPayloadJson().toByteArray()) : null;
        if (payloadProblem != null) {
            return new Decoded.Rejected(printableId, "invalid_payload", payloadProblem);
        }
        ConnectionId exclude = message.getExcludeConnection().isEmpty() ? null
                : new ConnectionId(message.getExcludeConnection());
        return new Decoded.Ok(new Envelope(id, audience, message.getPayloadJson().toByteArray(),
                message.getAttributesMap(), message.getPublishedAtMs(), exclude));
    }
}
