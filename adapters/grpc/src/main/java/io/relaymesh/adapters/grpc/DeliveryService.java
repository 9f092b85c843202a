package io.relaymesh.adapters.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.relaymesh.domain.model.Names;
import io.relaymesh.proto.v1.DeliverRequest;
import io.relaymesh.proto.v1.DeliverResponse;
import io.relaymesh.proto.v1.PodDeliveryGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The legacy unary PodDelivery.Deliver (v1), served so that a pod of the previous version can
 * still forward to this one during a rolling upgrade; pods of this version use the v2 stream
 * ({@link StreamService}). The batch goes through the same checks and delivery
 * ({@link BatchReceiver}); only the v1 message, which names a subject, is parsed differently. A
 * call whose {@code from_pod_id} is not a valid pod id is refused with INVALID_ARGUMENT, since it
 * would end up in log lines. Runs on the transport thread unless the local delivery may block, in
 * which case the call moves to {@code blockingCalls}. Stateless, so thread-safe.
 */
final class DeliveryService extends PodDeliveryGrpc.PodDeliveryImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryService.class);

    private final BatchReceiver receiver;
    private final Executor blockingCalls;
    private final DeliveryServerListener listener;
    private final ThrottledWarning rejections = new ThrottledWarning(LOG, 10_000);

    DeliveryService(BatchReceiver receiver, Executor blockingCalls, DeliveryServerListener listener) {
        this.receiver = receiver;
        this.blockingCalls = blockingCalls;
        this.listener = listener;
    }

    @Override
    public void deliver(DeliverRequest request, StreamObserver<DeliverResponse> response) {
        String podProblem = Names.problemWith(request.getFromPodId());
        if (podProblem != null) {
            for (int i = 0; i < request.getEventsCount(); i++) {
                listener.eventRejected("invalid_from_pod_id");
            }
            rejections.warn("refused a batch of {} events from pod_id={}: from_pod_id {}", request.getEventsCount(),
                    Names.printable(request.getFromPodId()), podProblem);
            response.onError(Status.INVALID_ARGUMENT.withDescription("from_pod_id " + podProblem)
                    .asRuntimeException());
            return;
        }
        if (!receiver.mayBlock()) {
            handle(request, response);
            return;
        }
        try {
            blockingCalls.execute(() -> handle(request, response));
        } catch (RejectedExecutionException e) {
            response.onError(Status.UNAVAILABLE.withDescription("the pod is shutting down").asRuntimeException());
        }
    }

    private void handle(DeliverRequest request, StreamObserver<DeliverResponse> response) {
        List<EventMessages.Decoded> batch = new ArrayList<>(request.getEventsCount());
        for (io.relaymesh.proto.v1.Event message : request.getEventsList()) {
            batch.add(EventMessages.fromV1(message));
        }
        Set<String> accepted;
        try {
            accepted = receiver.receive(request.getFromPodId(), batch);
        } catch (RuntimeException e) {
            LOG.warn("local delivery of a batch from pod_id={} failed", request.getFromPodId(), e);
            response.onError(Status.INTERNAL.withDescription("local delivery failed: " + e.getMessage())
                    .asRuntimeException());
            return;
        }
        response.onNext(DeliverResponse.newBuilder().addAllAcceptedEventIds(accepted).build());
        response.onCompleted();
    }
}
