package io.relaymesh.adapters.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.relaymesh.proto.v2.DeliverAck;
import io.relaymesh.proto.v2.DeliverBatch;
import io.relaymesh.proto.v2.PodDeliveryGrpc;

/**
 * One PodDelivery.Stream call to a peer, as its {@link PeerLane} sees it: batches go out, acks
 * come back. The call has no gRPC deadline (it lives as long as the peer); the lane watches it
 * instead. What gRPC reports (the opening ack, batch acks, readiness, the end of the call) is
 * handed to the lane's {@link Events}.
 *
 * <p>gRPC's calls are not thread-safe: {@link #send}, {@link #isReady}, {@link #finish} and
 * {@link #cancel} are called by the lane's thread only. The callbacks run on a transport thread
 * (the channel uses a direct executor) and must not block.
 */
final class PeerStream implements ClientResponseObserver<DeliverBatch, DeliverAck> {

    /** What a stream tells its lane; each call names the stream, so that a replaced one's late news is ignored. */
    interface Events {
        /** The peer answered the opening: the stream is authenticated and open. */
        void opened(PeerStream stream);

        /** The peer answered a batch. */
        void acked(PeerStream stream, DeliverAck ack);

        /** The stream can take another batch without buffering much (gRPC flow control). */
        void ready(PeerStream stream);

        /** The stream ended: broke, was refused, or the peer closed it. */
        void failed(PeerStream stream, Status status);

        /** The peer ended the stream because it is leaving (shutting down). */
        void left(PeerStream stream, Status status);
    }

    private final String address;
    private final Events events;
    private final long startedNanos = System.nanoTime();
    private volatile boolean opened;
    private ClientCallStreamObserver<DeliverBatch> requests;

    /** A stream to {@code address}, not started yet: its news may come as soon as it is. */
    PeerStream(String address, Events events) {
        this.address = address;
        this.events = events;
    }

    /** Starts the call on {@code stub} (a channel to {@link #address()}); the peer answers it asynchronously. */
    void start(PodDeliveryGrpc.PodDeliveryStub stub) {
        stub.stream(this);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<DeliverBatch> requests) {
        this.requests = requests;
        requests.setOnReadyHandler(() -> events.ready(this));
    }

    @Override
    public void onNext(DeliverAck ack) {
        if (ack.getSeq() == 0 && !opened) {
            opened = true;
            events.opened(this);
        } else {
            events.acked(this, ack);
        }
    }

    @Override
    public void onError(Throwable t) {
        Metadata trailers = Status.trailersFromThrowable(t);
        if (trailers != null && trailers.containsKey(PodIdHeader.LEAVING)) {
            events.left(this, Status.fromThrowable(t));
        } else {
            events.failed(this, Status.fromThrowable(t));
        }
    }

    @Override
    public void onCompleted() {
        events.failed(this, Status.UNAVAILABLE.withDescription("the peer closed the stream"));
    }

    String address() {
        return address;
    }

    long startedNanos() {
        return startedNanos;
    }

    /** Whether the peer has answered the opening. */
    boolean opened() {
        return opened;
    }

    /** Whether gRPC takes another batch without buffering it (lane thread only). */
    boolean isReady() {
        return requests.isReady();
    }

    /** Sends a batch (lane thread only). */
    void send(DeliverBatch batch) {
        requests.onNext(batch);
    }

    /** Half-closes: the peer finishes what it has and ends the stream (lane thread only). */
    void finish() {
        if (requests != null) {
            requests.onCompleted();
        }
    }

    /** Ends the call at once (lane thread only); its own end is then reported, and ignored, as a failure. */
    void cancel(String why) {
        if (requests != null) {
            requests.cancel(why, null);
        }
    }
}
