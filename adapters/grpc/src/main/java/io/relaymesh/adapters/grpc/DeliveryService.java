package io.relaymesh.adapters.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.Names;
import io.relaymesh.proto.v1.DeliverRequest;
import io.relaymesh.proto.v1.DeliverResponse;
import io.relaymesh.proto.v1.PodDeliveryGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The receiving side of PodDelivery.Deliver: hands the valid events of a batch to the local
 * delivery and answers which it accepted. An invalid event is left out of the answer (counted, and
 * logged at most every 10 s); the others are still delivered. A call whose {@code from_pod_id} is
 * not a valid pod id is refused with INVALID_ARGUMENT, since it would end up in log lines. Runs on the transport thread (the server uses a direct
 * executor) unless the local delivery may block, in which case the call moves to
 * {@code blockingCalls}. Stateless, so thread-safe.
 */
final class DeliveryService extends PodDeliveryGrpc.PodDeliveryImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryService.class);

    private final LocalDelivery delivery;
    private final Executor blockingCalls;
    private final DeliveryServerListener listener;
    private final ThrottledWarning rejections = new ThrottledWarning(LOG, 10_000);

    DeliveryService(LocalDelivery delivery, Executor blockingCalls, DeliveryServerListener listener) {
        this.delivery = delivery;
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
        if (!delivery.mayBlock()) {
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
        List<Envelope> events = new ArrayList<>(request.getEventsCount());
        for (io.relaymesh.proto.v1.Event message : request.getEventsList()) {
            switch (EventMessages.fromProto(message)) {
                case EventMessages.Decoded.Ok ok -> events.add(ok.event());
                case EventMessages.Decoded.Rejected rejected -> {
                    listener.eventRejected(rejected.metric());
                    rejections.warn("not accepting event_id={} from pod_id={}: {}", rejected.eventId(),
                            request.getFromPodId(), rejected.reason());
                }
            }
        }
        Set<String> accepted;
        try {
            accepted = events.isEmpty() ? Set.of() : delivery.deliver(events);
        } catch (RuntimeException e) {
            LOG.warn("local delivery of {} events from pod_id={} failed", events.size(), request.getFromPodId(), e);
            response.onError(Status.INTERNAL.withDescription("local delivery failed: " + e.getMessage())
                    .asRuntimeException());
            return;
        }
        // Answer only ids of this request, so a confused handler cannot acknowledge other events.
        Set<String> valid = new HashSet<>(events.size() * 2);
        events.forEach(e -> valid.add(e.id()));
        DeliverResponse.Builder answer = DeliverResponse.newBuilder();
        for (String id : accepted) {
            if (valid.contains(id)) {
                answer.addAcceptedEventIds(id);
            }
        }
        response.onNext(answer.build());
        response.onCompleted();
    }
}
