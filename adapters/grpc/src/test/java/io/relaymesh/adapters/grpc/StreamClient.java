package io.relaymesh.adapters.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.relaymesh.proto.v2.DeliverAck;
import io.relaymesh.proto.v2.DeliverBatch;
import io.relaymesh.proto.v2.Envelope;
import io.relaymesh.proto.v2.PodDeliveryGrpc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A raw PodDelivery.Stream client for tests, as a peer pod (or an attacker) opens one: headers
 * of its choosing, batches sent as given, acks and the end of the call recorded. Thread-safe for
 * reading; send from one thread.
 */
final class StreamClient implements AutoCloseable {
    private static final Metadata.Key<String> SECRET =
            Metadata.Key.of(ClusterSecretCredentials.HEADER, Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel channel;
    private final StreamObserver<DeliverBatch> requests;
    final BlockingQueue<DeliverAck> acks = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> ended = new CompletableFuture<>();
    /** The trailers the stream ended with, when it ended with an error that had some. */
    volatile Metadata trailers;

    /**
     * @param podId  the {@code relaymesh-pod-id} header, or null for none
     * @param secret the cluster secret header, or null for none
     */
    StreamClient(int port, ChannelCredentials credentials, String podId, String secret) {
        channel = Grpc.newChannelBuilder("127.0.0.1:" + port, credentials).build();
        Metadata headers = new Metadata();
        if (podId != null) {
            headers.put(PodIdHeader.KEY, podId);
        }
        if (secret != null) {
            headers.put(SECRET, secret);
        }
        requests = PodDeliveryGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .stream(new StreamObserver<>() {
                    @Override
                    public void onNext(DeliverAck ack) {
                        acks.add(ack);
                    }

                    @Override
                    public void onError(Throwable t) {
                        trailers = Status.trailersFromThrowable(t);
                        ended.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(Status.OK);
                    }
                });
    }

    void send(long seq, Envelope... envelopes) {
        requests.onNext(DeliverBatch.newBuilder().setSeq(seq).addAllEnvelopes(List.of(envelopes)).build());
    }

    void halfClose() {
        requests.onCompleted();
    }

    /** The next ack, failing after {@code timeout}. */
    DeliverAck nextAck(Duration timeout) {
        try {
            DeliverAck ack = acks.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (ack == null) {
                fail("no ack within " + timeout + (ended.isDone() ? "; the stream ended: " + ended.join() : ""));
            }
            return ack;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** How the stream ended, failing if it has not within {@code timeout}. */
    Status awaitEnd(Duration timeout) {
        try {
            return ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the stream did not end within " + timeout, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
