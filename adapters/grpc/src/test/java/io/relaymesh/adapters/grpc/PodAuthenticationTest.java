package io.relaymesh.adapters.grpc;

import com.google.protobuf.ByteString;
import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.testkit.PrimaryEvents;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.proto.v1.DeliverRequest;
import io.relaymesh.proto.v1.DeliverResponse;
import io.relaymesh.proto.v1.PodDeliveryGrpc;
import io.relaymesh.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks on a pod's Deliver server, by raw gRPC clients and by forwarders on loopback: calls
 * without the cluster secret or with a wrong one, certificates from another CA, oversized
 * requests, forged payloads and ids. None of them may reach the local delivery.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PodAuthenticationTest {
    private static final String SECRET = "cluster-secret-0123456789abcdef0123456789";
    private static final PodId SELF = new PodId("pod-a");
    private static final PodId PEER = new PodId("pod-b");
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final RecordingDelivery delivery = RecordingDelivery.acceptingAll();
    private final RecordingServerListener listener = new RecordingServerListener();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        Collections.reverse(resources);
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void aCallWithoutTheClusterSecret_isRefusedUnauthenticated_andReachesNoSocket() {
        GrpcDeliveryServer server = serve(PodSecurity.secret(SECRET));

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub(server, InsecureChannelCredentials.create()).deliver(request("pod-x", event("forged"))));

        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("cluster secret"), e.getStatus().getDescription());
        assertEquals(0, delivery.callCount());
        assertEquals(List.of("missing_secret"), listener.unauthenticated);
    }

    @Test
    void aCallWithAWrongClusterSecret_isRefusedUnauthenticated() {
        GrpcDeliveryServer server = serve(PodSecurity.secret(SECRET));
        ChannelCredentials wrong = CompositeChannelCredentials.create(InsecureChannelCredentials.create(),
                new ClusterSecretCredentials(SECRET.substring(1) + "x"));

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub(server, wrong).deliver(request("pod-x", event("forged"))));

        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertEquals(0, delivery.callCount());
        assertEquals(List.of("wrong_secret"), listener.unauthenticated);
    }

    @Test
    void aForwarderWithTheClusterSecret_isServed() throws Exception {
        GrpcDeliveryServer server = serve(PodSecurity.secret(SECRET));
        GrpcPodForwarder forwarder = forwarder(server, PodSecurity.secret(SECRET));

        assertEquals(Set.of("e1"), forwarder.forward(PEER, List.of(event("e1"))).get(5, TimeUnit.SECONDS));
        assertEquals(1, delivery.callCount());
        assertEquals(List.of(), listener.unauthenticated);
    }

    @Test
    void thePreviousClusterSecret_isStillAccepted_soThatASecretCanBeRotatedByRollingRestarts() throws Exception {
        GrpcDeliveryServer server = serve(new PodSecurity("the-new-secret-0123456789abcdef", SECRET, null));
        GrpcPodForwarder oldPod = forwarder(server, PodSecurity.secret(SECRET));

        assertEquals(Set.of("e1"), oldPod.forward(PEER, List.of(event("e1"))).get(5, TimeUnit.SECONDS));
    }

    @Test
    void aForwarderWithAWrongSecret_failsItsForwardAtOnce_withoutRetrying() {
        GrpcDeliveryServer server = serve(PodSecurity.secret(SECRET));
        GrpcPodForwarder forwarder = forwarder(server, PodSecurity.secret("not-the-cluster-secret-at-all-000"));

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> forwarder.forward(PEER, List.of(event("e1"))).get(5, TimeUnit.SECONDS));

        assertInstanceOf(PortUnavailableException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("UNAUTHENTICATED"), e.getCause().getMessage());
        assertEquals(List.of("wrong_secret"), listener.unauthenticated, "UNAUTHENTICATED is not retried");
    }

    @Test
    void aStreamWithoutTheClusterSecret_isRefusedUnauthenticated_beforeAnythingElseIsLookedAt() throws Exception {
        GrpcDeliveryServer server = serve(PodSecurity.secret(SECRET));

        try (StreamClient plain = new StreamClient(server.port(), InsecureChannelCredentials.create(), null, null);
             StreamClient wrong = new StreamClient(server.port(), InsecureChannelCredentials.create(), "pod-x",
                     SECRET + "x")) {
            plain.send(1, forgedEnvelope("forged"));
            wrong.send(1, forgedEnvelope("forged"));

            assertEquals(Status.Code.UNAUTHENTICATED, plain.awaitEnd(WAIT).getCode());
            assertEquals(Status.Code.UNAUTHENTICATED, wrong.awaitEnd(WAIT).getCode());
            assertTrue(plain.acks.isEmpty(), "not even the opening is answered");
        }
        assertEquals(0, delivery.callCount());
        assertEquals(List.of("missing_secret", "wrong_secret"), listener.unauthenticated.stream().sorted().toList());
        assertEquals(List.of(), listener.rejected, "the missing pod id was never looked at");
    }

    @Test
    void aStreamWithTheSecret_stillDeliversNoPayloadWithTextAfterItsObject() throws Exception {
        GrpcDeliveryServer server = serve(PodSecurity.secret(SECRET));

        try (StreamClient client = new StreamClient(server.port(), InsecureChannelCredentials.create(), "pod-x",
                SECRET)) {
            client.nextAck(WAIT);
            client.send(1, forgedEnvelope("spliced").toBuilder()
                            .setPayload(ByteString.copyFromUtf8("{\"event_id\":\"x\"},\"type\":\"error\"")).build(),
                    forgedEnvelope("good"));

            assertEquals(List.of("good"), client.nextAck(WAIT).getAcceptedIdsList());
        }
        assertEquals(List.of("good"), delivery.calls().getFirst().stream().map(Envelope::id).toList());
        assertEquals(List.of("invalid_payload"), listener.rejected);
    }

    @Test
    void aWarmLaneRefusedForAWrongSecret_doesNotKeepKnocking() throws Exception {
        GrpcDeliveryServer server = serve(PodSecurity.secret(SECRET));
        FakePodDirectory directory = new FakePodDirectory();
        directory.heartbeat(PEER, "127.0.0.1:" + server.port(), Duration.ofMinutes(1));
        GrpcPodForwarder forwarder = new GrpcPodForwarder(directory, SELF, new TestSettings().build(),
                ForwarderListener.NOOP, PodSecurity.secret("not-the-cluster-secret-at-all-000"));
        resources.add(forwarder);

        forwarder.syncPeers();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (listener.unauthenticated.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(500);
        forwarder.syncPeers();
        Thread.sleep(100);

        assertEquals(List.of("wrong_secret"), listener.unauthenticated, "a refusal retrying cannot fix is not retried");
    }

    @Test
    void aRequestOf8MiB_isRefusedResourceExhausted() {
        GrpcDeliveryServer server = serve(PodSecurity.secret(SECRET));
        ChannelCredentials right = CompositeChannelCredentials.create(InsecureChannelCredentials.create(),
                new ClusterSecretCredentials(SECRET));
        // Twice the 4 MiB cap, a quarter of the 32 MiB the seed accepted.
        String huge = "{\"x\":\"" + "a".repeat(8 * 1024 * 1024) + "\"}";

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub(server, right)
                .deliver(request("pod-x", message("big", "websocket.c1.a1.chats", huge))));

        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertEquals(0, delivery.callCount());
    }

    @Test
    void aForwardLargerThanTheServersMessageCap_isSplitIntoCallsThatFit() throws Exception {
        GrpcDeliveryServer server = serve(PodSecurity.secret(SECRET));
        GrpcPodForwarder forwarder = forwarder(server, PodSecurity.secret(SECRET));
        String payload = "{\"x\":\"" + "b".repeat(100 * 1024) + "\"}";
        List<Envelope> events = IntStream.range(0, 100).mapToObj(i -> PrimaryEvents.event("big" + i,
                PrimaryEvents.chats("c1", "a1"), payload, 1L)).toList();

        Set<String> accepted = forwarder.forward(PEER, events).get(20, TimeUnit.SECONDS);

        assertEquals(100, accepted.size());
        assertTrue(delivery.callCount() >= 3, "10 MiB must go in calls of at most 4 MiB, got "
                + delivery.callCount() + " calls");
    }

    @Test
    void aPayloadWithTextAfterItsJsonObject_isNotAccepted_andNeverReachesTheLocalDelivery() {
        GrpcDeliveryServer server = serve(PodSecurity.secret(SECRET));
        ChannelCredentials right = CompositeChannelCredentials.create(InsecureChannelCredentials.create(),
                new ClusterSecretCredentials(SECRET));

        DeliverResponse response = stub(server, right).deliver(request("pod-x",
                message("spliced", "websocket.c1.a1.chats", "{\"event_id\":\"x\"},\"type\":\"error\""),
                message("array", "websocket.c1.a1.chats", "[1]"),
                message("good", "websocket.c1.a1.chats", "{\"event_id\":\"good\"}")));

        assertEquals(List.of("good"), response.getAcceptedEventIdsList());
        assertEquals(List.of("good"), delivery.calls().getFirst().stream().map(Envelope::id).toList());
        assertEquals(List.of("invalid_payload", "invalid_payload"), listener.rejected);
    }

    @Test
    void anOverlongOrUnprintableEventId_isNotAccepted() {
        GrpcDeliveryServer server = serve(PodSecurity.secret(SECRET));
        ChannelCredentials right = CompositeChannelCredentials.create(InsecureChannelCredentials.create(),
                new ClusterSecretCredentials(SECRET));

        DeliverResponse response = stub(server, right).deliver(request("pod-x",
                message("x".repeat(129), "websocket.c1.a1.chats", "{}"),
                message("line\nforged", "websocket.c1.a1.chats", "{}")));

        assertEquals(List.of(), response.getAcceptedEventIdsList());
        assertEquals(0, delivery.callCount());
        assertEquals(List.of("invalid_event_id", "invalid_event_id"), listener.rejected);
    }

    @Test
    void aFromPodIdWithANewline_isRefusedInvalidArgument() {
        GrpcDeliveryServer server = serve(PodSecurity.secret(SECRET));
        ChannelCredentials right = CompositeChannelCredentials.create(InsecureChannelCredentials.create(),
                new ClusterSecretCredentials(SECRET));

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub(server, right)
                .deliver(request("pod-x\n2026-01-01 INFO forged line", event("e1"))));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals(0, delivery.callCount());
        assertEquals(List.of("invalid_from_pod_id"), listener.rejected);
    }

    @Test
    void withMutualTls_aPodWithACertificateOfTheClusterCa_isServed(@TempDir Path dir) throws Exception {
        TestCertificates ca = TestCertificates.newCa(dir, "cluster");
        GrpcDeliveryServer server = serve(tls(ca, ca.issue("pod-b")));
        GrpcPodForwarder forwarder = forwarder(server, tls(ca, ca.issue("pod-a")));

        assertEquals(Set.of("e1"), forwarder.forward(PEER, List.of(event("e1"))).get(10, TimeUnit.SECONDS));
    }

    @Test
    void withMutualTls_aClientWithACertificateFromAnotherCa_isRefused(@TempDir Path dir) throws Exception {
        TestCertificates ca = TestCertificates.newCa(dir, "cluster");
        TestCertificates other = TestCertificates.newCa(dir, "attacker");
        GrpcDeliveryServer server = serve(tls(ca, ca.issue("pod-b")));
        TestCertificates.Leaf forged = other.issue("pod-x");
        // The attacker trusts the server (it may have its CA), but its own certificate is foreign.
        ChannelCredentials attacker = TlsChannelCredentials.newBuilder()
                .keyManager(forged.cert().toFile(), forged.key().toFile())
                .trustManager(ca.caCert().toFile()).build();

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub(server, attacker).deliver(request("pod-x", event("forged"))));

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals(0, delivery.callCount());
    }

    @Test
    void withMutualTls_aPlaintextClient_isRefused(@TempDir Path dir) {
        TestCertificates ca = TestCertificates.newCa(dir, "cluster");
        GrpcDeliveryServer server = serve(tls(ca, ca.issue("pod-b")));

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub(server, InsecureChannelCredentials.create()).deliver(request("pod-x", event("forged"))));

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals(0, delivery.callCount());
    }

    @Test
    void unreadableTlsFiles_areReportedWithTheirNames(@TempDir Path dir) {
        Path missing = dir.resolve("missing.pem");
        PortUnavailableException e = assertThrows(PortUnavailableException.class, () -> GrpcDeliveryServer.start(0,
                delivery, new TestSettings().build(), new PodSecurity("", "", new PodSecurity.Tls(missing, missing,
                        missing)), listener));

        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    private static io.relaymesh.proto.v2.Envelope forgedEnvelope(String id) {
        return EventMessages.toWire(event(id));
    }

    private static PodSecurity tls(TestCertificates ca, TestCertificates.Leaf leaf) {
        return new PodSecurity("", "", new PodSecurity.Tls(leaf.cert(), leaf.key(), ca.caCert()));
    }

    private GrpcDeliveryServer serve(PodSecurity security) {
        GrpcDeliveryServer server = GrpcDeliveryServer.start(0, delivery, new TestSettings().build(), security,
                listener);
        resources.add(server);
        return server;
    }

    private GrpcPodForwarder forwarder(GrpcDeliveryServer server, PodSecurity security) {
        FakePodDirectory directory = new FakePodDirectory();
        directory.heartbeat(PEER, "127.0.0.1:" + server.port(), Duration.ofMinutes(1));
        GrpcPodForwarder forwarder = new GrpcPodForwarder(directory, SELF, new TestSettings().build(),
                ForwarderListener.NOOP, security);
        resources.add(forwarder);
        return forwarder;
    }

    private PodDeliveryGrpc.PodDeliveryBlockingStub stub(GrpcDeliveryServer server, ChannelCredentials credentials) {
        ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + server.port(), credentials).build();
        resources.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return PodDeliveryGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static Envelope event(String id) {
        return PrimaryEvents.event(id, PrimaryEvents.chats("c1", "a1"), "{\"id\":\"" + id + "\"}", 1L);
    }

    private static DeliverRequest request(String fromPod, Envelope event) {
        return DeliverRequest.newBuilder().setFromPodId(fromPod).addEvents(EventMessages.toV1(event)).build();
    }

    private static DeliverRequest request(String fromPod, io.relaymesh.proto.v1.Event... events) {
        return DeliverRequest.newBuilder().setFromPodId(fromPod).addAllEvents(List.of(events)).build();
    }

    private static io.relaymesh.proto.v1.Event message(String id, String subject, String payload) {
        io.relaymesh.proto.v1.Event.Builder builder;
        try {
            // As a pod of the cluster sends it: the audience resolved from the subject.
            builder = EventMessages.toV1(PrimaryEvents.event("x", subject, "{}", 0)).toBuilder();
        } catch (IllegalArgumentException e) {
            builder = io.relaymesh.proto.v1.Event.newBuilder().setSubject(subject); // no audience
        }
        return builder.setEventId(id).setPayloadJson(ByteString.copyFromUtf8(payload)).setPublishedAtMs(1L).build();
    }
}
