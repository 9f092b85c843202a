package io.relaymesh.adapters.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.relaymesh.domain.model.Names;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.proto.v2.DeliverAck;
import io.relaymesh.proto.v2.DeliverBatch;
import io.relaymesh.proto.v2.Envelope;
import io.relaymesh.proto.v2.PodDeliveryGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The receiving side of PodDelivery.Stream (v2): one long-lived stream from each peer. It answers
 * the opening with an ack of seq 0, then handles the peer's batches one at a time, in order, and
 * acknowledges each with the ids it accepted ({@link BatchReceiver}). It asks gRPC for the next
 * batch only once the previous one is delivered (manual inbound flow control), so a receiver that
 * cannot keep up holds the sender back through HTTP/2 windows instead of queueing without bound.
 * A batch whose local delivery cannot block runs on the transport thread that read it; one that
 * may block runs on a virtual thread of {@code blockingCalls}, never holding a Netty event loop.
 *
 * <p>A stream without a valid {@value PodIdHeader#HEADER} header is refused with INVALID_ARGUMENT
 * (the id ends up in log lines), as is a batch whose seq does not increase. A failed local
 * delivery is answered with an ack naming the error, so the sender retries that batch without
 * losing the stream. Thread-safe: each stream's state is guarded by its own monitor.
 */
final class StreamService extends PodDeliveryGrpc.PodDeliveryImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(StreamService.class);
    private static final Status SHUTTING_DOWN = Status.UNAVAILABLE.withDescription("the pod is shutting down");

    private final BatchReceiver receiver;
    private final Executor blockingCalls;
    private final DeliveryServerListener listener;
    private final Consumer<PodId> onPeerStream;
    private final ThrottledWarning rejections = new ThrottledWarning(LOG, 10_000);
    private final Set<Inbound> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    /** @param onPeerStream told the id of each pod that opens a stream here (on the transport thread; must not block) */
    StreamService(BatchReceiver receiver, Executor blockingCalls, DeliveryServerListener listener,
                  Consumer<PodId> onPeerStream) {
        this.receiver = receiver;
        this.blockingCalls = blockingCalls;
        this.listener = listener;
        this.onPeerStream = onPeerStream;
    }

    @Override
    public StreamObserver<DeliverBatch> stream(StreamObserver<DeliverAck> responses) {
        ServerCallStreamObserver<DeliverAck> call = (ServerCallStreamObserver<DeliverAck>) responses;
        String from = PodIdHeader.CURRENT.get();
        String problem = from == null ? "is missing" : Names.problemWith(from);
        if (problem != null) {
            listener.eventRejected("invalid_from_pod_id");
            rejections.warn("refused a stream from pod_id={}: header {} {}", Names.printable(from),
                    PodIdHeader.HEADER, problem);
            call.onError(Status.INVALID_ARGUMENT.withDescription(PodIdHeader.HEADER + " " + problem)
                    .asRuntimeException());
            return new Ignored();
        }
        if (closing) { // a stream that raced with shutdown()
            call.onError(SHUTTING_DOWN.asRuntimeException(PodIdHeader.leaving()));
            return new Ignored();
        }
        call.disableAutoRequest();
        Inbound inbound = new Inbound(from, call);
        call.setOnCancelHandler(() -> inbound.closed("cancelled by the peer"));
        open.add(inbound);
        inbound.open();
        try {
            onPeerStream.accept(new PodId(from));
        } catch (RuntimeException e) {
            LOG.warn("handling the stream of pod_id={} failed", from, e);
        }
        return inbound;
    }

    /**
     * Ends every open stream with UNAVAILABLE once its batch at hand is acknowledged, so that the
     * server can stop without waiting for streams that would otherwise stay open for good.
     */
    void shutdown() {
        closing = true;
        open.forEach(Inbound::leave);
    }

    /** One peer's stream. */
    private final class Inbound implements StreamObserver<DeliverBatch> {
        private final String from;
        private final ServerCallStreamObserver<DeliverAck> call;
        /** Read and written by the transport thread only (onNext). */
        private long lastSeq;
        // Guarded by this.
        private boolean busy;
        private boolean halfClosed;
        private boolean leaving;
        private boolean done;

        Inbound(String from, ServerCallStreamObserver<DeliverAck> call) {
            this.from = from;
            this.call = call;
        }

        void open() {
            LOG.info("stream from pod_id={} open", from);
            synchronized (this) {
                call.onNext(DeliverAck.newBuilder().setSeq(0).build());
            }
            call.request(1);
        }

        @Override
        public void onNext(DeliverBatch batch) {
            if (batch.getSeq() <= lastSeq) {
                refuse(Status.INVALID_ARGUMENT.withDescription("batch seq " + batch.getSeq()
                        + " does not follow " + lastSeq));
                return;
            }
            lastSeq = batch.getSeq();
            synchronized (this) {
                busy = true;
            }
            if (!receiver.mayBlock()) {
                handle(batch);
                return;
            }
            try {
                blockingCalls.execute(() -> handle(batch));
            } catch (RejectedExecutionException e) {
                refuse(Status.UNAVAILABLE.withDescription("the pod is shutting down"));
            }
        }

        private void handle(DeliverBatch batch) {
            List<EventMessages.Decoded> decoded = new ArrayList<>(batch.getEnvelopesCount());
            for (Envelope envelope : batch.getEnvelopesList()) {
                decoded.add(EventMessages.fromWire(envelope));
            }
            DeliverAck.Builder ack = DeliverAck.newBuilder().setSeq(batch.getSeq());
            try {
                Set<String> accepted = receiver.receive(from, decoded);
                ack.addAllAcceptedIds(accepted);
            } catch (RuntimeException e) {
                LOG.warn("local delivery of batch {} from pod_id={} failed", batch.getSeq(), from, e);
                ack.setError("local delivery failed: " + e.getMessage());
            }
            boolean completed;
            boolean left;
            synchronized (this) {
                busy = false;
                if (done) {
                    return;
                }
                call.onNext(ack.build());
                completed = halfClosed;
                left = leaving && !completed;
                if (completed) {
                    call.onCompleted();
                } else if (left) {
                    call.onError(SHUTTING_DOWN.asRuntimeException(PodIdHeader.leaving()));
                }
                done = completed || left;
            }
            if (completed) {
                forget("closed by the peer");
            } else if (left) {
                forget("this pod is shutting down");
            } else {
                call.request(1);
            }
        }

        /** This pod stops: end the stream now, or after the batch at hand. */
        void leave() {
            synchronized (this) {
                if (done) {
                    return;
                }
                leaving = true;
                if (busy) {
                    return;
                }
                done = true;
                call.onError(SHUTTING_DOWN.asRuntimeException(PodIdHeader.leaving()));
            }
            forget("this pod is shutting down");
        }

        /** The peer half-closed: finish the batch at hand, then close (it is leaving). */
        @Override
        public void onCompleted() {
            synchronized (this) {
                halfClosed = true;
                if (busy || done) {
                    return;
                }
                done = true;
                call.onCompleted();
            }
            forget("closed by the peer");
        }

        @Override
        public void onError(Throwable t) {
            closed(Status.fromThrowable(t).toString());
        }

        void closed(String why) {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
            }
            forget(why);
        }

        private void forget(String why) {
            open.remove(this);
            LOG.info("stream from pod_id={} closed: {}", from, why);
        }

        private void refuse(Status status) {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                call.onError(status.asRuntimeException());
            }
            open.remove(this);
            LOG.warn("refused the stream of pod_id={}: {}", from, status.getDescription());
        }
    }

    /** What is left of a refused stream: nothing more is read. */
    private static final class Ignored implements StreamObserver<DeliverBatch> {
        @Override
        public void onNext(DeliverBatch value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
