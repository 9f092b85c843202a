package io.relaymesh.domain.model;

import java.util.Objects;

/**
 * What one pod reports about itself every second for the cluster view: its sessions and route
 * keys now, its rates over the last seconds and its totals since it started.
 *
 * @param pod                 the pod
 * @param grpcAddress         where other pods reach it; empty in standalone mode
 * @param startedAtMillis     when the pod started (epoch ms)
 * @param updatedAtMillis     when these stats were taken (epoch ms)
 * @param userSessions        user sessions open on the pod
 * @param adminSessions       admin sessions open on the pod
 * @param routeKeys           route keys the pod holds (with at least one local session)
 * @param eventsPerSecond     events the pod took for delivery (consumed, or published directly)
 * @param framesPerSecond     event frames written to its sockets
 * @param forwardedPerSecond  events forwarded to other pods
 * @param latency             delivery latency over the window
 * @param deliveredTotal      event frames written since the pod started
 * @param droppedTotal        event frames dropped by back-pressure since the pod started
 */
public record PodStats(PodId pod, String grpcAddress, long startedAtMillis, long updatedAtMillis, int userSessions,
                       int adminSessions, int routeKeys, double eventsPerSecond, double framesPerSecond,
                       double forwardedPerSecond, LatencySummary latency, long deliveredTotal, long droppedTotal) {
    public PodStats {
        Objects.requireNonNull(pod, "pod_id");
        Objects.requireNonNull(latency, "latency");
        grpcAddress = grpcAddress == null ? "" : grpcAddress;
        if (userSessions < 0 || adminSessions < 0 || routeKeys < 0 || deliveredTotal < 0 || droppedTotal < 0) {
            throw new IllegalArgumentException("counts of pod " + pod + " must not be negative");
        }
        if (!(eventsPerSecond >= 0 && framesPerSecond >= 0 && forwardedPerSecond >= 0)) {
            throw new IllegalArgumentException("rates of pod " + pod + " must be numbers >= 0");
        }
    }

    /** Open connections: user plus admin sessions. */
    public int connections() {
        return userSessions + adminSessions;
    }
}
