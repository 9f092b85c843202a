package io.relaymesh.adapters.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.relaymesh.domain.model.Event;
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
 * delivery and answers which it accepted. An invalid event is left out of the answer (and
 * logged); the others are still delivered. Runs on the transport thread (the server uses a direct
 * executor) unless the local delivery may block, in which case the call moves to
 * {@code blockingCalls}. Stateless, so thread-safe.
 */
final class DeliveryService extends PodDeliveryGrpc.PodDeliveryImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryService.class);

    private final LocalDelivery delivery;
    private final Executor blockingCalls;

    DeliveryService(LocalDelivery delivery, Executor blockingCalls) {
        this.delivery = delivery;
        this.blockingCalls = blockingCalls;
    }

    @Override
    public void deliver(DeliverRequest request, StreamObserver<DeliverResponse> response) {
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
        List<Event> events = new ArrayList<>(request.getEventsCount());
        for (io.relaymesh.proto.v1.Event message : request.getEventsList()) {
            switch (EventMessages.fromProto(message)) {
                case EventMessages.Decoded.Ok ok -> events.add(ok.event());
                case EventMessages.Decoded.Rejected rejected -> LOG.warn(
                        "not accepting event_id={} from pod_id={}: {}", rejected.eventId(), request.getFromPodId(),
                        rejected.reason());
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
        events.forEach(e -> valid.add(e.eventId()));
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
