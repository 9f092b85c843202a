package io.relaymesh.adapters.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.testkit.PrimaryEvents;
import io.relaymesh.proto.v1.DeliverRequest;
import io.relaymesh.proto.v1.DeliverResponse;
import io.relaymesh.proto.v1.PodDeliveryGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Deliver server as a peer pod's raw client sees it. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class GrpcDeliveryServerTest {
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
    void anEventWithAnInvalidSubject_isNotAccepted_whileTheOthersAre() {
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
    void aBatchWithOnlyInvalidEvents_acceptsNothing_withoutCallingTheLocalDelivery() {
        DeliverResponse response = stub.deliver(DeliverRequest.newBuilder().setFromPodId("pod-a")
                .addEvents(message("bad", "nats.c1.a1.chats")).build());

        assertEquals(List.of(), response.getAcceptedEventIdsList());
        assertEquals(0, delivery.callCount());
    }

    @Test
    void idsTheLocalDeliveryMadeUp_areNotAnswered() {
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
    void aFailingLocalDelivery_answersInternal() {
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

    private static io.relaymesh.proto.v1.Event message(String id, String subject) {
        io.relaymesh.proto.v1.Event.Builder builder;
        try {
            // As a pod of the cluster sends it: the audience resolved from the subject.
            builder = EventMessages.toProto(PrimaryEvents.event("x", subject, "{}", 0)).toBuilder();
        } catch (IllegalArgumentException e) {
            builder = io.relaymesh.proto.v1.Event.newBuilder().setSubject(subject); // no audience
        }
        return builder.setEventId(id).setPayloadJson(ByteString.copyFromUtf8("{\"n\":1}")).setPublishedAtMs(42L).build();
    }
}
