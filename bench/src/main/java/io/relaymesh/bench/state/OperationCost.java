package io.relaymesh.bench.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.bench.support.Samples;

/**
 * What one kind of operation cost over many runs: Redis round trips (from {@code
 * RedisConnections.roundTrips()} deltas) and wall time. For connects, also the split between the
 * authentication (token cache) and the open (session lock, route), and the round trips left for
 * later (token cache writes off the connect path). Not thread-safe.
 */
final class OperationCost {
    final String label;
    final Samples roundTrips = new Samples();
    final Samples nanos = new Samples();
    final Samples authRoundTrips = new Samples();
    final Samples openRoundTrips = new Samples();
    /** Round trips of the work the operation left for later (token cache writes), counted after it. */
    final Samples backgroundRoundTrips = new Samples();

    OperationCost(String label) {
        this.label = label;
    }

    void add(long trips, long elapsedNanos) {
        roundTrips.add(trips);
        nanos.add(elapsedNanos);
    }

    void addConnect(long authTrips, long openTrips, long backgroundTrips, long elapsedNanos) {
        add(authTrips + openTrips, elapsedNanos);
        authRoundTrips.add(authTrips);
        openRoundTrips.add(openTrips);
        backgroundRoundTrips.add(backgroundTrips);
    }

    boolean isConnect() {
        return !authRoundTrips.isEmpty();
    }

    ObjectNode toJson(ObjectNode node) {
        node.put("samples", roundTrips.count());
        node.put("round_trips_mean", roundTrips.mean());
        node.put("round_trips_min", roundTrips.min());
        node.put("round_trips_max", roundTrips.max());
        if (isConnect()) {
            node.put("authenticate_round_trips_mean", authRoundTrips.mean());
            node.put("open_round_trips_mean", openRoundTrips.mean());
            node.put("off_the_connect_path_round_trips_mean", backgroundRoundTrips.mean());
        }
        node.put("latency_p50_us", nanos.percentile(50) / 1_000.0);
        node.put("latency_p99_us", nanos.percentile(99) / 1_000.0);
        node.put("latency_max_us", nanos.max() / 1_000.0);
        return node;
    }
}
