package io.relaymesh.adapters.grpc;

import io.relaymesh.domain.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the receiving pod does with a decoded batch, whichever call brought it (the v2 stream or
 * the legacy unary Deliver): counts and leaves out the events that failed their checks, leaves out
 * those already delivered or being delivered ({@link RecentDeliveries}), hands the others to the
 * {@link LocalDelivery}, and answers the ids of this batch it accepted. Thread-safe.
 */
final class BatchReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(BatchReceiver.class);

    private final LocalDelivery delivery;
    private final DeliveryServerListener listener;
    private final RecentDeliveries recent = new RecentDeliveries();
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
     * Delivers the valid, new events of {@code batch} from {@code fromPod} (a valid pod id).
     *
     * @return the ids of this batch this pod took responsibility for (never any other id)
     * @throws RuntimeException when the local delivery failed; nothing of the batch is accepted then
     */
    Set<String> receive(String fromPod, List<EventMessages.Decoded> batch) {
        List<Event> valid = new ArrayList<>(batch.size());
        for (EventMessages.Decoded decoded : batch) {
            switch (decoded) {
                case EventMessages.Decoded.Ok ok -> valid.add(ok.event());
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
        List<String> ids = new ArrayList<>(valid.size());
        for (Event event : valid) {
            ids.add(event.eventId());
        }
        List<RecentDeliveries.Claim> claims = recent.claim(ids);
        Set<String> accepted = new HashSet<>();
        List<Event> fresh = new ArrayList<>(valid.size());
        for (int i = 0; i < valid.size(); i++) {
            switch (claims.get(i)) {
                case NEW -> fresh.add(valid.get(i));
                case DELIVERED -> accepted.add(valid.get(i).eventId()); // a retry of what arrived before
                case IN_PROGRESS -> {
                    // its first delivery is still running: the sender asks again and then finds it done
                }
            }
        }
        if (fresh.isEmpty()) {
            return accepted;
        }
        Set<String> freshIds = new HashSet<>(fresh.size() * 2);
        fresh.forEach(e -> freshIds.add(e.eventId()));
        Set<String> delivered;
        try {
            delivered = delivery.deliver(fresh);
        } catch (RuntimeException e) {
            recent.settle(List.of(), freshIds);
            throw e;
        }
        // Only ids of this batch count, so a confused handler cannot acknowledge other events.
        Set<String> kept = new HashSet<>();
        for (String id : delivered) {
            if (freshIds.remove(id)) {
                kept.add(id);
            }
        }
        recent.settle(kept, freshIds);
        accepted.addAll(kept);
        return accepted;
    }
}
