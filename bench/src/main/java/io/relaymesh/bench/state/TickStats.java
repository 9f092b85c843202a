package io.relaymesh.bench.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.bench.support.Samples;

/**
 * The refresh ticks of one scenario: wall time and round trips of each measured tick, plus the
 * first (cold) tick of the scenario on its own. Not thread-safe.
 */
final class TickStats {
    final String scenario;
    final int sessions;
    final int routeKeys;
    final Samples nanos = new Samples();
    final Samples roundTrips = new Samples();
    /** Microseconds Redis spent running scripts during each measured tick. */
    final Samples serverMicros = new Samples();
    long coldNanos = -1;
    long coldRoundTrips = -1;

    TickStats(String scenario, int sessions, int routeKeys) {
        this.scenario = scenario;
        this.sessions = sessions;
        this.routeKeys = routeKeys;
    }

    double p50Millis() {
        return nanos.percentile(50) / 1e6;
    }

    double p95Millis() {
        return nanos.percentile(95) / 1e6;
    }

    double maxMillis() {
        return nanos.max() / 1e6;
    }

    ObjectNode toJson(ObjectNode node) {
        node.put("sessions", sessions);
        node.put("route_keys", routeKeys);
        node.put("ticks", nanos.count());
        if (!nanos.isEmpty()) {
            node.put("round_trips_per_tick_min", roundTrips.min());
            node.put("round_trips_per_tick_max", roundTrips.max());
            node.put("duration_p50_ms", p50Millis());
            node.put("duration_p95_ms", p95Millis());
            node.put("duration_max_ms", maxMillis());
            node.put("duration_mean_ms", nanos.mean() / 1e6);
            node.put("redis_script_time_p50_ms", serverMicros.percentile(50) / 1e3);
            node.put("redis_script_time_max_ms", serverMicros.max() / 1e3);
        }
        node.put("first_tick_ms", coldNanos / 1e6);
        node.put("first_tick_round_trips", coldRoundTrips);
        return node;
    }
}
