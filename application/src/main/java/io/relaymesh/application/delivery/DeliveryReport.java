package io.relaymesh.application.delivery;

import io.relaymesh.domain.model.PodId;

import java.util.Set;

/**
 * What became of one event: how many local connections it was queued for, which other pods hold
 * its route keys (to forward to) and how many local frames were dropped.
 */
public record DeliveryReport(int localQueued, int localDropped, Set<PodId> remotePods) {
    public DeliveryReport {
        remotePods = Set.copyOf(remotePods);
    }
}
