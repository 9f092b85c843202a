package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.relaymesh.proto.v1.DeliverRequest;
import io.relaymesh.proto.v1.DeliverResponse;
import io.relaymesh.proto.v1.Event;
import io.relaymesh.proto.v1.PodDeliveryGrpc;
import io.relaymesh.proto.v2.DeliverAck;
import io.relaymesh.proto.v2.DeliverBatch;
import io.relaymesh.proto.v2.Envelope;
import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.PrimaryEvents;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks on the pod-to-pod port and on the event entrances of two real pods (real Redis, real
 * NATS JetStream): a plain gRPC client and a plain stream, a wrong cluster secret, an 8 MiB
 * request, a forged {@code from_pod_id}, a forged route key, payloads with text after their JSON
 * object over gRPC, JetStream and HTTP, and over-long event ids. None may put anything on a
 * client's socket; each is refused and counted. Each test also sends the same thing the right way,
 * so it shows the socket would have seen it. The unary calls use the legacy v1 Deliver, which pods
 * still serve.
 */
@ExtendWith(RealServices.class)
class PodAttacksIT {
    private static final Duration QUIET = Duration.ofMillis(700);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Metadata.Key<String> SECRET_HEADER =
            Metadata.Key.of("relaymesh-cluster-secret", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> POD_ID_HEADER =
            Metadata.Key.of("relaymesh-pod-id", Metadata.ASCII_STRING_MARSHALLER);
    private static RedisServer redis;
    private static NatsServer nats;
    private static GatewayHarness a;
    private static GatewayHarness b;

    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void start() {
        redis = RealServices.newRedis();
        nats = RealServices.newNats();
        a = GatewayHarness.pod("pod-a", redis.address(), nats.url());
        b = GatewayHarness.pod("pod-b", redis.address(), nats.url());
    }

    @AfterAll
    static void stop() {
        for (GatewayHarness pod : new GatewayHarness[]{a, b}) {
            if (pod != null) {
                pod.close();
            }
        }
        nats.close();
        redis.close();
    }

    @AfterEach
    void closeChannels() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPlainGrpcClient_isRefusedUnauthenticated_nothingReachesTheSocket_andTheRefusalIsCounted() {
        try (WsClient victim = b.user("acme", "grpc-plain", "bob")) {
            double before = metric(b, "relaymesh_grpc_unauthenticated_total{reason=\"missing_secret\"}");

            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub(b, null)
                    .deliver(request("pod-a", event("forged-1", "websocket.acme.grpc-plain.chats",
                            "{\"event_id\":\"forged-1\"},\"type\":\"error\""))));

            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
            assertNull(victim.poll(QUIET), "a forged event reached the socket");
            assertEquals(before + 1, metric(b, "relaymesh_grpc_unauthenticated_total{reason=\"missing_secret\"}"));
            // The same call with the cluster secret is delivered: the refusal above is the secret's doing.
            DeliverResponse ok = stub(b, GatewayHarness.CLUSTER_SECRET).deliver(request("pod-a",
                    event("real-1", "websocket.acme.grpc-plain.chats", "{\"event_id\":\"real-1\"}")));
            assertEquals(List.of("real-1"), ok.getAcceptedEventIdsList());
            assertEquals("real-1", victim.next(WAIT).path("payload").path("event_id").asText());
        }
    }

    @Test
    void aPlainGrpcStream_isRefusedUnauthenticated_andNothingReachesTheSocket_whileOneWithTheSecretDelivers()
            throws Exception {
        try (WsClient victim = b.user("acme", "stream-plain", "bob")) {
            double before = metric(b, "relaymesh_grpc_unauthenticated_total{reason=\"missing_secret\"}");
            Envelope forged = envelope("forged-s1", "websocket.acme.stream-plain.chats", "agent:acme:stream-plain",
                    "{\"event_id\":\"forged-s1\"}");

            RawStream plain = openStream(b, null);
            plain.requests.onNext(DeliverBatch.newBuilder().setSeq(1).addEnvelopes(forged).build());

            assertEquals(Status.Code.UNAUTHENTICATED, plain.end.get(20, TimeUnit.SECONDS).getCode());
            assertNull(victim.poll(QUIET), "a forged event reached the socket");
            assertEquals(before + 1, metric(b, "relaymesh_grpc_unauthenticated_total{reason=\"missing_secret\"}"));

            RawStream right = openStream(b, GatewayHarness.CLUSTER_SECRET);
            assertEquals(0, right.acks.poll(20, TimeUnit.SECONDS).getSeq(), "the opening is answered");
            right.requests.onNext(DeliverBatch.newBuilder().setSeq(1).addEnvelopes(envelope("real-s1",
                    "websocket.acme.stream-plain.chats", "agent:acme:stream-plain", "{\"event_id\":\"real-s1\"}"))
                    .build());
            assertEquals(List.of("real-s1"), right.acks.poll(20, TimeUnit.SECONDS).getAcceptedIdsList());
            assertEquals("real-s1", victim.next(WAIT).path("payload").path("event_id").asText());
            right.requests.onCompleted();
        }
    }

    @Test
    void aStreamEnvelopeWithAForgedRouteKey_isNotAccepted_evenWithTheSecret() throws Exception {
        try (WsClient victim = b.user("acme", "stream-key", "bob")) {
            double before = metric(b, "relaymesh_grpc_events_rejected_total{reason=\"invalid_route_key\"}");
            RawStream stream = openStream(b, GatewayHarness.CLUSTER_SECRET);
            stream.acks.poll(20, TimeUnit.SECONDS);

            // A newline in a route key would forge a log line wherever the key is logged.
            stream.requests.onNext(DeliverBatch.newBuilder().setSeq(1).addEnvelopes(envelope("forged-key",
                    "websocket.acme.stream-key.chats", "agent:acme:stream-key\n2026-12-06 INFO forged",
                    "{\"event_id\":\"forged-key\"}")).build());

            assertEquals(List.of(), stream.acks.poll(20, TimeUnit.SECONDS).getAcceptedIdsList());
            assertNull(victim.poll(QUIET), "an envelope with a forged route key reached a socket");
            assertEquals(before + 1, metric(b, "relaymesh_grpc_events_rejected_total{reason=\"invalid_route_key\"}"));
            stream.requests.onCompleted();
        }
    }

    @Test
    void aGrpcClientWithAWrongSecret_isRefusedUnauthenticated() {
        try (WsClient victim = b.user("acme", "grpc-wrong", "bob")) {
            double before = metric(b, "relaymesh_grpc_unauthenticated_total{reason=\"wrong_secret\"}");

            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub(b,
                    GatewayHarness.CLUSTER_SECRET.replace('e', 'f')).deliver(request("pod-a",
                    event("forged-2", "websocket.acme.grpc-wrong.chats", "{\"event_id\":\"forged-2\"}"))));

            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
            assertNull(victim.poll(QUIET));
            assertEquals(before + 1, metric(b, "relaymesh_grpc_unauthenticated_total{reason=\"wrong_secret\"}"));
        }
    }

    @Test
    void an8MiBGrpcRequest_isRefused_evenWithTheSecret() {
        // Twice the 4 MiB cap, a quarter of the 32 MiB the seed accepted.
        String huge = "{\"x\":\"" + "a".repeat(8 * 1024 * 1024) + "\"}";

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub(b,
                GatewayHarness.CLUSTER_SECRET).deliver(request("pod-a", event("huge", "websocket.acme.big.chats", huge))));

        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals(200, b.get("/health").statusCode(), "the pod stays healthy");
    }

    @Test
    void aForwardWhosePayloadHasTextAfterItsObject_isNotAccepted_evenWithTheSecret() {
        try (WsClient victim = b.user("acme", "grpc-splice", "bob")) {
            double before = metric(b, "relaymesh_grpc_events_rejected_total{reason=\"invalid_payload\"}");

            DeliverResponse response = stub(b, GatewayHarness.CLUSTER_SECRET).deliver(request("pod-a",
                    event("spliced", "websocket.acme.grpc-splice.chats", "{\"event_id\":\"spliced\"},\"type\":\"ready\"")));

            assertEquals(List.of(), response.getAcceptedEventIdsList());
            assertNull(victim.poll(QUIET), "a spliced frame reached the socket");
            assertEquals(before + 1, metric(b, "relaymesh_grpc_events_rejected_total{reason=\"invalid_payload\"}"));
        }
    }

    @Test
    void aForwardWithAnOverlongEventIdOrANewlineInFromPodId_isRefused() {
        try (WsClient victim = b.user("acme", "grpc-ids", "bob")) {
            DeliverResponse response = stub(b, GatewayHarness.CLUSTER_SECRET).deliver(request("pod-a",
                    event("e".repeat(129), "websocket.acme.grpc-ids.chats", "{}")));
            assertEquals(List.of(), response.getAcceptedEventIdsList());

            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub(b,
                    GatewayHarness.CLUSTER_SECRET).deliver(request("pod-a\n2026-12-06 12:00:00 INFO forged line",
                    event("line", "websocket.acme.grpc-ids.chats", "{}"))));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().startsWith("from_pod_id must not contain"),
                    e.getStatus().getDescription());
            assertNull(victim.poll(QUIET));
        }
    }

    @Test
    void aJetStreamMessageWithTextAfterItsObject_isTerminatedAndCounted_andNeverReachesASocket() throws Exception {
        try (WsClient onB = b.user("acme", "js-splice", "bob");
             Connection connection = Nats.connect(nats.url())) {
            double before = terminated();

            connection.jetStream().publish("websocket.acme.js-splice.chats",
                    "{\"event_id\":\"x\"},\"type\":\"ready\"".getBytes(StandardCharsets.UTF_8));
            GatewayHarness.eventually(WAIT, "the spliced message is terminated", () -> terminated() == before + 1);
            connection.jetStream().publish("websocket.acme.js-splice.chats",
                    ("{\"event_id\":\"" + "i".repeat(129) + "\"}").getBytes(StandardCharsets.UTF_8));
            GatewayHarness.eventually(WAIT, "the over-long id is terminated", () -> terminated() == before + 2);
            connection.jetStream().publish("websocket.acme.js-splice.chats",
                    "{\"event_id\":\"after-js\"}".getBytes(StandardCharsets.UTF_8));

            JsonNode frame = onB.next(WAIT);
            assertEquals("after-js", frame.path("payload").path("event_id").asText(), frame.toString());
            assertNull(onB.poll(QUIET));
        }
    }

    @Test
    void anHttpPublishWithTextAfterItsBody_orAnOverlongEventId_isA400NamingTheProblem() {
        try (WsClient onB = b.user("acme", "http-splice", "bob")) {
            HttpResponse<String> spliced = a.post("/api/v1/publish", GatewayHarness.ADMIN_KEY,
                    "{\"subject\":\"websocket.acme.http-splice.chats\",\"payload\":{\"event_id\":\"x\"}},\"type\":\"ready\"");
            assertEquals(400, spliced.statusCode(), spliced.body());
            assertTrue(spliced.body().contains("request body is not valid JSON"), spliced.body());

            HttpResponse<String> longId = a.post("/api/v1/publish", GatewayHarness.ADMIN_KEY,
                    "{\"subject\":\"websocket.acme.http-splice.chats\",\"payload\":{\"event_id\":\"" + "i".repeat(129)
                            + "\"}}");
            assertEquals(400, longId.statusCode(), longId.body());
            assertTrue(longId.body().contains("payload.event_id must be at most 128 characters"), longId.body());

            a.publish("websocket.acme.http-splice.chats", "{\"event_id\":\"after-http\"}");
            assertEquals("after-http", onB.next(WAIT).path("payload").path("event_id").asText());
            assertNull(onB.poll(QUIET));
        }
    }

    @Test
    void podsWithTheClusterSecret_stillForwardToEachOther() {
        try (WsClient onB = b.user("acme", "forward", "bob")) {
            // Whichever pod consumes an event, the user on pod-b gets it: some go through gRPC.
            for (int i = 0; i < 10; i++) {
                a.publish("websocket.acme.forward.chats", "{\"event_id\":\"f-" + i + "\"}");
            }
            for (int i = 0; i < 10; i++) {
                assertTrue(onB.next(WAIT).path("payload").path("event_id").asText().startsWith("f-"));
            }
        }
    }

    @Test
    void theJarInClusterModeWithoutAClusterSecret_refusesToStart_namingTheKey() throws Exception {
        int port = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(JarProcess.keyedEnv(port));
        env.remove("RELAYMESH_SERVER_CLUSTER_SECRET");
        env.put("RELAYMESH_REDIS_ADDRESS", redis.address());
        env.put("RELAYMESH_NATS_URL", nats.url());
        try (JarProcess jar = JarProcess.start(port, env, 0)) {
            assertEquals(2, jar.awaitExit(Duration.ofSeconds(30)));
            String output = jar.output();
            assertTrue(output.contains("server.cluster_secret: must be set in cluster mode"), output);
        }
    }

    private PodDeliveryGrpc.PodDeliveryBlockingStub stub(GatewayHarness pod, String secret) {
        int port = pod.relaymesh().component().grpcServer().current().port();
        ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + port, InsecureChannelCredentials.create())
                .maxInboundMessageSize(64 * 1024 * 1024).build();
        channels.add(channel);
        PodDeliveryGrpc.PodDeliveryBlockingStub stub = PodDeliveryGrpc.newBlockingStub(channel)
                .withDeadlineAfter(20, TimeUnit.SECONDS);
        if (secret == null) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(SECRET_HEADER, secret);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** A raw PodDelivery.Stream opened as pod-a, with {@code secret} (none when null): what comes back is recorded. */
    private RawStream openStream(GatewayHarness pod, String secret) {
        int port = pod.relaymesh().component().grpcServer().current().port();
        ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + port, InsecureChannelCredentials.create())
                .build();
        channels.add(channel);
        Metadata headers = new Metadata();
        headers.put(POD_ID_HEADER, "pod-a");
        if (secret != null) {
            headers.put(SECRET_HEADER, secret);
        }
        RawStream stream = new RawStream();
        stream.requests = io.relaymesh.proto.v2.PodDeliveryGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .stream(new StreamObserver<>() {
                    @Override
                    public void onNext(DeliverAck ack) {
                        stream.acks.add(ack);
                    }

                    @Override
                    public void onError(Throwable t) {
                        stream.end.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        stream.end.complete(Status.OK);
                    }
                });
        return stream;
    }

    private static final class RawStream {
        final BlockingQueue<DeliverAck> acks = new LinkedBlockingQueue<>();
        final CompletableFuture<Status> end = new CompletableFuture<>();
        StreamObserver<DeliverBatch> requests;
    }

    private static Envelope envelope(String id, String subject, String routeKey, String payload) {
        return Envelope.newBuilder().setId(id).addRouteKeys(routeKey).putAttributes("subject", subject)
                .setPayload(ByteString.copyFromUtf8(payload)).setPublishedAtMs(System.currentTimeMillis()).build();
    }

    private static DeliverRequest request(String fromPod, Event event) {
        return DeliverRequest.newBuilder().setFromPodId(fromPod).addEvents(event).build();
    }

    /** A legacy v1 event as a pod of the cluster sends it: the audience resolved from the subject. */
    private static Event event(String id, String subject, String payload) {
        Event.Builder event = Event.newBuilder().setEventId(id).setSubject(subject)
                .setPayloadJson(ByteString.copyFromUtf8(payload)).setPublishedAtMs(System.currentTimeMillis())
                .putAttributes("subject", subject);
        PrimaryEvents.event("audience", subject, "{}", 0).audience().forEach(key -> event.addRouteKeys(key.value()));
        return event.build();
    }

    private static double terminated() {
        return metric(a, "relaymesh_stream_events_total{outcome=\"terminated\"}")
                + metric(b, "relaymesh_stream_events_total{outcome=\"terminated\"}");
    }

    /** The value of {@code series} in the pod's /metrics, 0 when absent. */
    private static double metric(GatewayHarness pod, String series) {
        for (String line : pod.get("/metrics").body().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }
}
