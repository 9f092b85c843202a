package io.relaymesh.adapters.web.dialect.rooms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.relaymesh.application.rooms.Rooms;
import io.relaymesh.application.rooms.RoomsMetrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The peer rooms' own Prometheus series (connections, frames and socket errors are counted for every
 * dialect by {@code DialectMeters}, labelled {@code dialect="rooms"}). No series has a topic label:
 * topics are shared secrets, and unbounded. Thread-safe.
 */
public final class RoomsMeters implements RoomsMetrics {
    private final MeterRegistry registry;
    private final DistributionSummary frameBytes;
    private final Counter relayedFrames;
    private final Counter relayedBytes;
    private final Counter relayMissed;
    private final Counter joined;
    private final ConcurrentHashMap<String, Counter> left = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> refused = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> errors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> limited = new ConcurrentHashMap<>();

    public RoomsMeters(MeterRegistry registry) {
        this.registry = registry;
        this.frameBytes = DistributionSummary.builder("relaymesh_rooms_frame_size").baseUnit("bytes")
                .description("Size of the client frames of the peer rooms").register(registry);
        this.relayedFrames = Counter.builder("relaymesh_rooms_relayed_frames")
                .description("Data frames relayed to their topic (once each, whatever the number of peers)")
                .register(registry);
        this.relayedBytes = Counter.builder("relaymesh_rooms_relayed_bytes").baseUnit("bytes")
                .description("Decoded bytes of the data frames relayed to their topic").register(registry);
        this.relayMissed = Counter.builder("relaymesh_rooms_relay_missed_pods")
                .description("Pods that did not take a relayed envelope of the rooms (their peers missed it)")
                .register(registry);
        this.joined = Counter.builder("relaymesh_rooms_joins")
                .description("Peers that joined a topic on this pod").register(registry);
    }

    /** The gauges of this pod's peers and topics, read from {@code rooms} at each scrape. */
    public void bind(Rooms rooms) {
        Gauge.builder("relaymesh_rooms_peers", rooms, Rooms::localPeers)
                .description("Peers in a topic, on this pod").register(registry);
        Gauge.builder("relaymesh_rooms_topics", rooms, Rooms::localTopics)
                .description("Topics with at least one peer on this pod").register(registry);
    }

    @Override
    public void frameReceived(int bytes) {
        frameBytes.record(bytes);
    }

    @Override
    public void dataRelayed(int bytes) {
        relayedFrames.increment();
        relayedBytes.increment(bytes);
    }

    @Override
    public void relayMissed(int pods) {
        relayMissed.increment(pods);
    }

    @Override
    public void peerJoined() {
        joined.increment();
    }

    @Override
    public void peerLeft(String reason, int peers) {
        counter(left, reason, r -> Counter.builder("relaymesh_rooms_leaves").tag("reason", r)
                .description("Peers that left a topic, by reason (leave, close, pod_gone, token_expired, lost)")
                .register(registry)).increment(peers);
    }

    @Override
    public void joinRefused(String reason) {
        counter(refused, reason, r -> Counter.builder("relaymesh_rooms_joins_refused").tag("reason", r)
                .description("Joins refused, by reason (duplicate, full, auth, invalid, unavailable)")
                .register(registry)).increment();
    }

    @Override
    public void error(String reason) {
        counter(errors, reason, r -> Counter.builder("relaymesh_rooms_errors").tag("reason", r)
                .description("Error frames the peer rooms sent their clients (the socket stays open), by reason")
                .register(registry)).increment();
    }

    @Override
    public void rateLimited(String limit) {
        counter(limited, limit, l -> Counter.builder("relaymesh_rooms_rate_limited").tag("limit", l)
                .description("Client frames dropped over a per-connection rate (frames or bytes per second)")
                .register(registry)).increment();
    }

    private static Counter counter(ConcurrentHashMap<String, Counter> cache, String key, Function<String, Counter> make) {
        return cache.computeIfAbsent(key, make);
    }
}
