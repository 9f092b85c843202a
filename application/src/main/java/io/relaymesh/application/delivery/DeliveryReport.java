package io.relaymesh.application.delivery;

import io.relaymesh.domain.model.PodId;

import java.util.Set;

/**
 * What became of one event: how many local connections it was queued for, how many local frames
 * were dropped, which other pods hold its route keys (to forward to), and whether the route
 * lookup failed (then other pods may hold sockets for it: the event must be retried).
 */
public record DeliveryReport(int localQueued, int localDropped, Set<PodId> remotePods, boolean lookupFailed) {
    public DeliveryReport {
        remotePods = Set.copyOf(remotePods);
    }

    public DeliveryReport(int localQueued, int localDropped, Set<PodId> remotePods) {
        this(localQueued, localDropped, remotePods, false);
    }
}
