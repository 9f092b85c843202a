package io.relaymesh.adapters.grpc;

import io.relaymesh.domain.model.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the receiving pod does with a decoded batch, whichever call brought it (the v2 stream or
 * the legacy unary Deliver): counts and leaves out the envelopes that failed their checks, hands
 * the others to the {@link LocalDelivery} (which drops those it delivered before: a batch resent
 * after a stream broke may repeat some), and answers the ids of this batch it accepted.
 * Thread-safe.
 */
final class BatchReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(BatchReceiver.class);

    private final LocalDelivery delivery;
    private final DeliveryServerListener listener;
    private final ThrottledWarning rejections = new ThrottledWarning(LOG, 10_000);

    BatchReceiver(LocalDelivery delivery, DeliveryServerListener listener) {
        this.delivery = delivery;
        this.listener = listener;
    }

    /** Whether {@link #receive} may wait now; see {@link LocalDelivery#mayBlock()}. */
    boolean mayBlock() {
        return delivery.mayBlock();
    }

    /**
     * Delivers the valid envelopes of {@code batch} from {@code fromPod} (a valid pod id).
     *
     * @return the ids of this batch this pod took responsibility for (never any other id)
     * @throws RuntimeException when the local delivery failed; nothing of the batch is accepted then
     */
    Set<String> receive(String fromPod, List<EventMessages.Decoded> batch) {
        List<Envelope> valid = new ArrayList<>(batch.size());
        for (EventMessages.Decoded decoded : batch) {
            switch (decoded) {
                case EventMessages.Decoded.Ok ok -> valid.add(ok.envelope());
                case EventMessages.Decoded.Rejected rejected -> {
                    listener.eventRejected(rejected.metric());
                    rejections.warn("not accepting event_id={} from pod_id={}: {}", rejected.eventId(), fromPod,
                            rejected.reason());
                }
            }
        }
        if (valid.isEmpty()) {
            return Set.of();
        }
        Set<String> ids = new HashSet<>(valid.size() * 2);
        for (Envelope envelope : valid) {
            ids.add(envelope.id());
        }
        // Only ids of this batch count, so a confused handler cannot acknowledge other envelopes.
        Set<String> accepted = new HashSet<>();
        for (String id : delivery.deliver(valid)) {
            if (ids.contains(id)) {
                accepted.add(id);
            }
        }
        return accepted;
    }
}
