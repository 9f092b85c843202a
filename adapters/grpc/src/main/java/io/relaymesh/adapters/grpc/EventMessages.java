package io.relaymesh.adapters.grpc;

import com.google.protobuf.ByteString;
import io.grpc.MethodDescriptor;
import io.relaymesh.domain.model.Event;
import io.relaymesh.domain.model.EventSubject;
import io.relaymesh.domain.model.Names;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.proto.v2.DeliverAck;
import io.relaymesh.proto.v2.DeliverBatch;
import io.relaymesh.proto.v2.Envelope;
import io.relaymesh.proto.v2.PodDeliveryGrpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every conversion between domain events and their protobuf messages on the pod-to-pod wire, and
 * the checks a received one must pass: the only class that changes when the domain event becomes
 * a protocol-neutral envelope.
 *
 * <p>On the v2 wire an event is an {@link Envelope}: its route keys are the audience and its
 * payload opaque bytes. Until the domain {@link Event} is such an envelope it still needs its
 * subject, so the sender puts it in the {@value #SUBJECT} attribute and the receiver rebuilds the
 * event from it, refusing an envelope whose route keys are not the subject's. The legacy v1
 * {@code Event} message (served for pods of the previous version) names only a subject.
 */
final class EventMessages {
    /** The attribute that carries the primary dialect's NATS subject. */
    static final String SUBJECT = "subject";
    /** Route keys are short ({@code chat:{company}:{agent}:{chat}}); anything longer is not a pod's doing. */
    private static final int MAX_ROUTE_KEY_LENGTH = 4 * Names.MAX_LENGTH + 16;
    private static final AtomicBoolean WARM = new AtomicBoolean();

    /** A received event: usable, or rejected with the metric reason and a description. */
    sealed interface Decoded {
        record Ok(Event event) implements Decoded {
        }

        /**
         * @param eventId the id as received, fit for a log line ({@link Names#printable})
         * @param metric  {@code invalid_event_id}, {@code invalid_route_key}, {@code invalid_subject}
         *                or {@code invalid_payload}
         */
        record Rejected(String eventId, String metric, String reason) implements Decoded {
        }
    }

    private EventMessages() {
    }

    /**
     * Runs the codec once on a sample event, end to end and through gRPC's own marshallers
     * (envelope, batch bytes, parsing, checks, ack), so that loading and initialising that code is
     * paid when a pod starts rather than by the first event it forwards or receives: a tenth of a
     * second or more in a fresh JVM. Idempotent, and free after the first call.
     */
    static void warmUp() {
        if (!WARM.compareAndSet(false, true)) {
            return;
        }
        Event sample = new Event("warm-up", new EventSubject.Chats("warm", "up"), "{\"warm\":true}", 0L);
        MethodDescriptor<DeliverBatch, DeliverAck> stream = PodDeliveryGrpc.getStreamMethod();
        try {
            DeliverBatch batch = DeliverBatch.newBuilder().setSeq(1).addEnvelopes(toEnvelope(sample)).build();
            DeliverBatch read = stream.getRequestMarshaller().parse(new ByteArrayInputStream(
                    stream.getRequestMarshaller().stream(batch).readAllBytes()));
            for (Envelope envelope : read.getEnvelopesList()) {
                if (!(fromEnvelope(envelope) instanceof Decoded.Ok)) {
                    throw new IllegalStateException("the codec refuses its own sample");
                }
            }
            DeliverAck ack = DeliverAck.newBuilder().setSeq(1).addAcceptedIds(sample.eventId()).build();
            stream.getResponseMarshaller().parse(new ByteArrayInputStream(
                    stream.getResponseMarshaller().stream(ack).readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("the codec cannot read what it wrote", e);
        }
    }

    static Envelope toEnvelope(Event event) {
        Envelope.Builder envelope = Envelope.newBuilder()
                .setId(event.eventId())
                .setPayload(ByteString.copyFromUtf8(event.payloadJson()))
                .putAttributes(SUBJECT, event.subject().value())
                .setPublishedAtMs(event.publishedAtMillis());
        for (RouteKey key : event.subject().routeKeys()) {
            envelope.addRouteKeys(key.value());
        }
        return envelope.build();
    }

    /**
     * About how many bytes {@code event} takes in a batch (UTF-8 text plus framing), so that
     * senders keep batches below the receiver's message cap without serializing twice.
     */
    static long sizeOf(Event event) {
        long keys = 0;
        for (RouteKey key : event.subject().routeKeys()) {
            keys += key.value().length() + 2;
        }
        return utf8Length(event.payloadJson()) + event.eventId().length() + event.subject().value().length()
                + SUBJECT.length() + keys + 32;
    }

    /**
     * The event, if its id, route keys, subject and payload are what a pod of this cluster sends:
     * the payload goes into client frames as it is, so a forged one must not get that far.
     * {@code exclude_connection} is not honoured yet (the domain event cannot carry it; no pod of
     * this version sets it): a pod that does gets its event delivered to that connection too,
     * which is better than not at all while a cluster is being upgraded.
     */
    static Decoded fromEnvelope(Envelope envelope) {
        String id = envelope.getId();
        String printableId = Names.printable(id);
        String idProblem = Names.eventIdProblem(id);
        if (idProblem != null) {
            return new Decoded.Rejected(printableId, "invalid_event_id", "id " + idProblem);
        }
        Set<String> keys = new HashSet<>();
        for (String key : envelope.getRouteKeysList()) {
            String keyProblem = routeKeyProblem(key);
            if (keyProblem != null) {
                return new Decoded.Rejected(printableId, "invalid_route_key", keyProblem);
            }
            keys.add(key);
        }
        if (keys.isEmpty()) {
            return new Decoded.Rejected(printableId, "invalid_route_key", "the envelope names no route key");
        }
        EventSubject subject;
        switch (EventSubject.parse(envelope.getAttributesOrDefault(SUBJECT, ""))) {
            case EventSubject.Parsed.Invalid invalid -> {
                return new Decoded.Rejected(printableId, "invalid_subject", invalid.reason());
            }
            case EventSubject.Parsed.Ok ok -> subject = ok.subject();
        }
        Set<String> expected = new HashSet<>();
        subject.routeKeys().forEach(key -> expected.add(key.value()));
        if (!expected.equals(keys)) {
            return new Decoded.Rejected(printableId, "invalid_route_key", "route keys " + printable(keys)
                    + " are not those of subject " + subject.value());
        }
        return payload(id, printableId, subject, envelope.getPayload(), envelope.getPublishedAtMs());
    }

    /** A legacy v1 event (from a pod of the previous version), named by its subject only. */
    static Decoded fromV1(io.relaymesh.proto.v1.Event message) {
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
        return payload(id, printableId, subject, message.getPayloadJson(), message.getPublishedAtMs());
    }

    private static Decoded payload(String id, String printableId, EventSubject subject, ByteString payload,
                                   long publishedAtMs) {
        String payloadProblem = JsonPayloads.problemWith(payload.toByteArray());
        if (payloadProblem != null) {
            return new Decoded.Rejected(printableId, "invalid_payload", payloadProblem);
        }
        return new Decoded.Ok(new Event(id, subject, payload.toStringUtf8(), publishedAtMs));
    }

    private static String routeKeyProblem(String key) {
        if (key.isEmpty() || key.length() > MAX_ROUTE_KEY_LENGTH) {
            return "route key must have 1 to " + MAX_ROUTE_KEY_LENGTH + " characters";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return "route key " + Names.printable(key) + " has a character that is not printable ASCII";
            }
        }
        return null;
    }

    private static String printable(Set<String> keys) {
        return List.copyOf(keys).stream().map(Names::printable).sorted().toList().toString();
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }
}
