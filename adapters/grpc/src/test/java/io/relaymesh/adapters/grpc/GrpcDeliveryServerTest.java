package io.relaymesh.adapters.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.testkit.PrimaryEvents;
import io.relaymesh.proto.v1.DeliverRequest;
import io.relaymesh.proto.v1.DeliverResponse;
import io.relaymesh.proto.v1.PodDeliveryGrpc;
import io.relaymesh.proto.v2.DeliverAck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The delivery server as a peer pod's raw client sees it: the v2 stream, and the legacy unary Deliver. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class GrpcDeliveryServerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final RecordingDelivery delivery = RecordingDelivery.acceptingAll();
    private final GrpcDeliveryServer server = GrpcDeliveryServer.start(0, delivery, new TestSettings().build());
    private final ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + server.port(),
            InsecureChannelCredentials.create()).build();
    private final PodDeliveryGrpc.PodDeliveryBlockingStub stub = PodDeliveryGrpc.newBlockingStub(channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS);

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    @Test
    void aStream_isAnsweredWithSeq0_thenOneAckPerBatch_inOrder_withTheEnvelopesAsTheyWereSent() throws Exception {
        try (StreamClient client = stream("pod-a")) {
            assertEquals(0, client.nextAck(WAIT).getSeq(), "the opening is acknowledged");
            Envelope chat = PrimaryEvents.event("m1", PrimaryEvents.messages("c1", "a1", "chat9"), "{\"n\":1}", 42L);
            Envelope admin = PrimaryEvents.event("ag1", PrimaryEvents.agents("c1", "a1"), "{\"n\":2}", 43L);
            Envelope relayed = new Envelope("r1", List.of(new RouteKey("room:lobby")), new byte[]{0, 1, 2},
                    Map.of(), 44L, new ConnectionId("conn-7"));

            client.send(1, EventMessages.toWire(chat));
            client.send(2, EventMessages.toWire(admin), EventMessages.toWire(relayed));

            DeliverAck first = client.nextAck(WAIT);
            DeliverAck second = client.nextAck(WAIT);
            assertEquals(1, first.getSeq());
            assertEquals(List.of("m1"), first.getAcceptedIdsList());
            assertEquals(2, second.getSeq());
            assertEquals(Set.of("ag1", "r1"), Set.copyOf(second.getAcceptedIdsList()));
            assertEquals(List.of(List.of(chat), List.of(admin, relayed)), delivery.calls());
        }
    }

    @Test
    void theWireEnvelope_carriesRouteKeysOpaquePayloadBytesAttributesAndTheExcludedConnection() {
        Envelope envelope = PrimaryEvents.event("ag1", PrimaryEvents.agents("c1", "a1"), "{\"n\":2}", 43L);
        io.relaymesh.proto.v2.Envelope wire = EventMessages.toWire(new Envelope(envelope.id(), envelope.audience(),
                envelope.payload(), envelope.attributes(), envelope.publishedAtMillis(), new ConnectionId("c-9")));

        assertEquals("ag1", wire.getId());
        assertEquals(List.of("admin:c1:a1", "admin:c1:*", "admin:*:a1", "admin:*:*"), wire.getRouteKeysList());
        assertEquals("{\"n\":2}", wire.getPayload().toStringUtf8());
        assertEquals(envelope.attributes(), wire.getAttributesMap());
        assertEquals("websocket.c1.a1.agents", wire.getAttributesMap().get("subject"));
        assertEquals(43L, wire.getPublishedAtMs());
        assertEquals("c-9", wire.getExcludeConnection());
    }

    @Test
    void anEnvelopeWithoutAValidRouteKey_orWithASubjectAndAPayloadThatIsNotOneJsonObject_isNotAccepted()
            throws Exception {
        RecordingServerListener listener = new RecordingServerListener();
        GrpcDeliveryServer strict = GrpcDeliveryServer.start(0, delivery, new TestSettings().build(),
                PodSecurity.none(), listener);
        try (StreamClient client = new StreamClient(strict.port(), InsecureChannelCredentials.create(), "pod-a",
                null)) {
            client.nextAck(WAIT);
            io.relaymesh.proto.v2.Envelope none = envelope("none", "websocket.c1.a1.chats").toBuilder()
                    .clearRouteKeys().build();
            io.relaymesh.proto.v2.Envelope blank = envelope("blank", "websocket.c1.a1.chats").toBuilder()
                    .addRouteKeys("agent:c1 a1").build();
            io.relaymesh.proto.v2.Envelope spliced = envelope("spliced", "websocket.c1.a1.chats").toBuilder()
                    .setPayload(ByteString.copyFromUtf8("{\"a\":1},\"type\":\"error\"")).build();
            io.relaymesh.proto.v2.Envelope badId = envelope("x", "websocket.c1.a1.chats").toBuilder()
                    .setId("line\nforged").build();

            client.send(1, none, blank, spliced, badId, envelope("good", "websocket.c1.a1.chats"));

            assertEquals(List.of("good"), client.nextAck(WAIT).getAcceptedIdsList());
            assertEquals(List.of("invalid_route_key", "invalid_route_key", "invalid_payload", "invalid_event_id"),
                    listener.rejected);
            assertEquals(List.of("good"), delivery.calls().getFirst().stream().map(Envelope::id).toList());
        } finally {
            strict.close();
        }
    }

    @Test
    void aStreamWithoutAPodIdHeader_orWithAnInvalidOne_isRefusedInvalidArgument() throws Exception {
        for (String podId : new String[]{null, "pod a", "p".repeat(129)}) {
            try (StreamClient client = stream(podId)) {
                Status status = client.awaitEnd(WAIT);
                assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), String.valueOf(podId));
                assertTrue(status.getDescription().startsWith("relaymesh-pod-id "), status.getDescription());
            }
        }
        assertEquals(0, delivery.callCount());
    }

    @Test
    void aBatchWhoseSeqDoesNotIncrease_endsTheStream() throws Exception {
        try (StreamClient client = stream("pod-a")) {
            client.nextAck(WAIT);
            client.send(5, envelope("a", "websocket.c1.a1.chats"));
            assertEquals(5, client.nextAck(WAIT).getSeq());

            client.send(5, envelope("b", "websocket.c1.a1.chats"));

            assertEquals(Status.Code.INVALID_ARGUMENT, client.awaitEnd(WAIT).getCode());
            assertEquals(1, delivery.callCount());
        }
    }

    @Test
    void aFailedLocalDelivery_isAnsweredWithAnErrorAck_andTheStreamStaysOpen_andTheRetryIsDelivered()
            throws Exception {
        RecordingDelivery flaky = new RecordingDelivery((call, events) -> {
            if (call == 0) {
                throw new IllegalStateException("buffer gone");
            }
            return RecordingDelivery.ids(events);
        });
        GrpcDeliveryServer failing = GrpcDeliveryServer.start(0, flaky, new TestSettings().build());
        try (StreamClient client = new StreamClient(failing.port(), InsecureChannelCredentials.create(), "pod-a",
                null)) {
            client.nextAck(WAIT);
            client.send(1, envelope("e1", "websocket.c1.a1.chats"));
            DeliverAck refused = client.nextAck(WAIT);
            assertEquals(List.of(), refused.getAcceptedIdsList());
            assertTrue(refused.getError().contains("buffer gone"), refused.getError());

            client.send(2, envelope("e1", "websocket.c1.a1.chats"));

            assertEquals(List.of("e1"), client.nextAck(WAIT).getAcceptedIdsList());
            assertEquals(2, flaky.callCount());
        } finally {
            failing.close();
        }
    }

    @Test
    void theReceiver_takesOneBatchAtATime_andAsksForTheNextOnlyWhenDone() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        RecordingDelivery blocking = new RecordingDelivery((call, events) -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            release.await();
            running.decrementAndGet();
            return RecordingDelivery.ids(events);
        });
        GrpcDeliveryServer slow = GrpcDeliveryServer.start(0, blocking, new TestSettings().build());
        try (StreamClient client = new StreamClient(slow.port(), InsecureChannelCredentials.create(), "pod-a",
                null)) {
            client.nextAck(WAIT);
            for (int seq = 1; seq <= 3; seq++) {
                client.send(seq, envelope("e" + seq, "websocket.c1.a1.chats"));
            }
            Thread.sleep(300);
            assertEquals(1, blocking.callCount(), "the next batches wait in the transport, not in threads");

            release.countDown();

            for (int seq = 1; seq <= 3; seq++) {
                assertEquals(seq, client.nextAck(WAIT).getSeq());
            }
            assertEquals(1, most.get(), "never two batches of a stream at once");
        } finally {
            slow.close();
        }
    }

    @Test
    void close_endsTheOpenStreams_ratherThanWaitingForThem() throws Exception {
        GrpcDeliveryServer closing = GrpcDeliveryServer.start(0, delivery, new TestSettings().build());
        try (StreamClient client = new StreamClient(closing.port(), InsecureChannelCredentials.create(), "pod-a",
                null)) {
            client.nextAck(WAIT);
            long start = System.nanoTime();

            closing.close();

            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 1_000, "close took " + millis + " ms");
            Status status = client.awaitEnd(WAIT);
            assertEquals(Status.Code.UNAVAILABLE, status.getCode());
            assertEquals("the pod is shutting down", status.getDescription());
            assertEquals("true", client.trailers.get(PodIdHeader.LEAVING), "the peer learns that this pod leaves");
        }
    }

    @Test
    void legacyDeliver_anEventWithAnInvalidSubject_isNotAccepted_whileTheOthersAre() {
        DeliverResponse response = stub.deliver(DeliverRequest.newBuilder().setFromPodId("pod-a")
                .addEvents(message("good", "websocket.c1.a1.messages.chat9"))
                .addEvents(message("bad-subject", "websocket.c1.a1.nonsense"))
                .addEvents(message("bad-segment", "websocket.c*.a1.chats"))
                .addEvents(message("", "websocket.c1.a1.chats"))
                .build());

        assertEquals(List.of("good"), response.getAcceptedEventIdsList());
        Envelope delivered = delivery.calls().getFirst().getFirst();
        assertEquals(PrimaryEvents.event("good", PrimaryEvents.messages("c1", "a1", "chat9"), "{\"n\":1}", 42L), delivered);
        assertEquals(1, delivery.calls().getFirst().size());
    }

    @Test
    void legacyDeliver_aBatchWithOnlyInvalidEvents_acceptsNothing_withoutCallingTheLocalDelivery() {
        DeliverResponse response = stub.deliver(DeliverRequest.newBuilder().setFromPodId("pod-a")
                .addEvents(message("bad", "nats.c1.a1.chats")).build());

        assertEquals(List.of(), response.getAcceptedEventIdsList());
        assertEquals(0, delivery.callCount());
    }

    @Test
    void legacyDeliver_idsTheLocalDeliveryMadeUp_areNotAnswered() {
        GrpcDeliveryServer confused = GrpcDeliveryServer.start(0,
                events -> java.util.Set.of("e1", "someone-else"), new TestSettings().build());
        ManagedChannel other = Grpc.newChannelBuilder("127.0.0.1:" + confused.port(),
                InsecureChannelCredentials.create()).build();
        try {
            DeliverResponse response = PodDeliveryGrpc.newBlockingStub(other).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .deliver(DeliverRequest.newBuilder().setFromPodId("pod-a")
                            .addEvents(message("e1", "websocket.c1.a1.chats")).build());
            assertEquals(List.of("e1"), response.getAcceptedEventIdsList());
        } finally {
            other.shutdownNow();
            confused.close();
        }
    }

    @Test
    void legacyDeliver_aFailingLocalDelivery_answersInternal() {
        GrpcDeliveryServer failing = GrpcDeliveryServer.start(0, events -> {
            throw new IllegalStateException("boom");
        }, new TestSettings().build());
        ManagedChannel other = Grpc.newChannelBuilder("127.0.0.1:" + failing.port(),
                InsecureChannelCredentials.create()).build();
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> PodDeliveryGrpc
                    .newBlockingStub(other).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .deliver(DeliverRequest.newBuilder().setFromPodId("pod-a")
                            .addEvents(message("e1", "websocket.c1.a1.chats")).build()));
            assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        } finally {
            other.shutdownNow();
            failing.close();
        }
    }

    @Test
    void close_stopsServing_andFreesThePort() {
        assertTrue(server.isServing());
        int port = server.port();

        server.close();

        assertFalse(server.isServing());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub.deliver(DeliverRequest.newBuilder().build()));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        GrpcDeliveryServer.start(port, delivery, new TestSettings().build()).close();
    }

    @Test
    void aTakenPort_isReportedAsUnavailable() {
        PortUnavailableException e = assertThrows(PortUnavailableException.class,
                () -> GrpcDeliveryServer.start(server.port(), delivery, new TestSettings().build()));
        assertTrue(e.getMessage().contains("cannot listen on port " + server.port()), e.getMessage());
    }

    private StreamClient stream(String podId) {
        return new StreamClient(server.port(), InsecureChannelCredentials.create(), podId, null);
    }

    private static io.relaymesh.proto.v2.Envelope envelope(String id, String subject) {
        return EventMessages.toWire(PrimaryEvents.event(id, subject, "{\"n\":1}", 42L));
    }

    private static io.relaymesh.proto.v1.Event message(String id, String subject) {
        io.relaymesh.proto.v1.Event.Builder builder;
        try {
            // As a pod of the cluster sends it: the audience resolved from the subject.
            builder = EventMessages.toV1(PrimaryEvents.event("x", subject, "{}", 0)).toBuilder();
        } catch (IllegalArgumentException e) {
            builder = io.relaymesh.proto.v1.Event.newBuilder().setSubject(subject); // no audience
        }
        return builder.setEventId(id).setPayloadJson(ByteString.copyFromUtf8("{\"n\":1}")).setPublishedAtMs(42L).build();
    }
}
