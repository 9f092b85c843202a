package io.relaymesh.adapters.grpc;

import com.google.protobuf.ByteString;
import io.grpc.MethodDescriptor;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.Names;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.proto.v2.DeliverAck;
import io.relaymesh.proto.v2.DeliverBatch;
import io.relaymesh.proto.v2.PodDeliveryGrpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every conversion between domain envelopes and their protobuf messages on the pod-to-pod wire,
 * and the checks a received one must pass. On the v2 stream a domain {@link Envelope} travels as
 * a {@code relaymesh.v2.Envelope}, field for field: the receiver delivers to its route keys and
 * never parses a subject. The legacy v1 {@code Event} (served for pods of the previous version)
 * carries the same fields beside its subject.
 */
final class EventMessages {
    private static final AtomicBoolean WARM = new AtomicBoolean();

    /** A received envelope: usable, or rejected with the metric reason and a description. */
    sealed interface Decoded {
        record Ok(Envelope envelope) implements Decoded {
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

    static io.relaymesh.proto.v2.Envelope toWire(Envelope envelope) {
        io.relaymesh.proto.v2.Envelope.Builder wire = io.relaymesh.proto.v2.Envelope.newBuilder()
                .setId(envelope.id())
                .setPayload(ByteString.copyFrom(envelope.payload()))
                .putAllAttributes(envelope.attributes())
                .setPublishedAtMs(envelope.publishedAtMillis());
        for (RouteKey key : envelope.audience()) {
            wire.addRouteKeys(key.value());
        }
        if (envelope.exclude() != null) {
            wire.setExcludeConnection(envelope.exclude().value());
        }
        return wire.build();
    }

    /** The envelope, if it is what a pod of this cluster sends (see {@link #decode}). */
    static Decoded fromWire(io.relaymesh.proto.v2.Envelope wire) {
        return decode(wire.getId(), wire.getRouteKeysList(), wire.getPayload(), wire.getAttributesMap(),
                wire.getPublishedAtMs(), wire.getExcludeConnection());
    }

    /** A legacy v1 event, as a pod of the previous version sends it to {@code Deliver}. */
    static Decoded fromV1(io.relaymesh.proto.v1.Event message) {
        return decode(message.getEventId(), message.getRouteKeysList(), message.getPayloadJson(),
                message.getAttributesMap(), message.getPublishedAtMs(), message.getExcludeConnection());
    }

    /** The legacy v1 form of {@code envelope} (for tests of the legacy call). */
    static io.relaymesh.proto.v1.Event toV1(Envelope envelope) {
        io.relaymesh.proto.v1.Event.Builder message = io.relaymesh.proto.v1.Event.newBuilder()
                .setEventId(envelope.id())
                .setSubject(envelope.subject())
                .setPayloadJson(ByteString.copyFrom(envelope.payload()))
                .setPublishedAtMs(envelope.publishedAtMillis())
                .putAllAttributes(envelope.attributes());
        for (RouteKey key : envelope.audience()) {
            message.addRouteKeys(key.value());
        }
        if (envelope.exclude() != null) {
            message.setExcludeConnection(envelope.exclude().value());
        }
        return message.build();
    }

    /**
     * About how many bytes {@code envelope} takes in a batch, so that senders keep batches below
     * the receiver's message cap without serializing twice.
     */
    static long sizeOf(Envelope envelope) {
        long size = envelope.payload().length + envelope.id().length() + 32;
        for (RouteKey key : envelope.audience()) {
            size += key.value().length() + 2;
        }
        for (Map.Entry<String, String> attribute : envelope.attributes().entrySet()) {
            size += attribute.getKey().length() + attribute.getValue().length() + 4;
        }
        return size;
    }

    /**
     * The envelope, if its id, route keys and payload are what a pod of this cluster sends: the
     * payload goes into client frames as it is, so a forged one must not get that far. The payload
     * is opaque, but one published on a subject entered through an entrance that admits exactly one
     * JSON object (JetStream, HTTP publish), so one that claims a subject and is not one was forged
     * or corrupted on the way; a dialect's own envelopes (a client's relay) carry whatever that
     * dialect relays.
     */
    private static Decoded decode(String id, List<String> routeKeys, ByteString payload,
                                  Map<String, String> attributes, long publishedAtMs, String exclude) {
        String printableId = Names.printable(id);
        String idProblem = Names.eventIdProblem(id);
        if (idProblem != null) {
            return new Decoded.Rejected(printableId, "invalid_event_id", "event_id " + idProblem);
        }
        List<RouteKey> audience = new ArrayList<>(routeKeys.size());
        for (String key : routeKeys) {
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
        byte[] bytes = payload.toByteArray();
        String payloadProblem = attributes.containsKey(Envelope.SUBJECT) ? JsonPayloads.problemWith(bytes) : null;
        if (payloadProblem != null) {
            return new Decoded.Rejected(printableId, "invalid_payload", payloadProblem);
        }
        return new Decoded.Ok(new Envelope(id, audience, bytes, attributes, publishedAtMs,
                exclude.isEmpty() ? null : new ConnectionId(exclude)));
    }

    /**
     * Runs the codec once on a sample envelope, end to end and through gRPC's own marshallers
     * (envelope, batch bytes, parsing, checks, ack), so that loading and initialising that code is
     * paid when a pod starts rather than by the first envelope it forwards or receives: a tenth of
     * a second or more in a fresh JVM. Idempotent, and free after the first call.
     */
    static void warmUp() {
        if (!WARM.compareAndSet(false, true)) {
            return;
        }
        Envelope sample = new Envelope("warm-up", List.of(RouteKey.agent("warm", "up")),
                "{\"warm\":true}".getBytes(StandardCharsets.UTF_8), Map.of(Envelope.SUBJECT, "warm.up"), 0L);
        MethodDescriptor<DeliverBatch, DeliverAck> stream = PodDeliveryGrpc.getStreamMethod();
        try {
            DeliverBatch batch = DeliverBatch.newBuilder().setSeq(1).addEnvelopes(toWire(sample)).build();
            DeliverBatch read = stream.getRequestMarshaller().parse(new ByteArrayInputStream(
                    stream.getRequestMarshaller().stream(batch).readAllBytes()));
            for (io.relaymesh.proto.v2.Envelope wire : read.getEnvelopesList()) {
                if (!(fromWire(wire) instanceof Decoded.Ok)) {
                    throw new IllegalStateException("the codec refuses its own sample");
                }
            }
            DeliverAck ack = DeliverAck.newBuilder().setSeq(1).addAcceptedIds(sample.id()).build();
            stream.getResponseMarshaller().parse(new ByteArrayInputStream(
                    stream.getResponseMarshaller().stream(ack).readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("the codec cannot read what it wrote", e);
        }
    }
}
