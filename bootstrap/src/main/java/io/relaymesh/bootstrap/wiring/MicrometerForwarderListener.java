package io.relaymesh.bootstrap.wiring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.relaymesh.adapters.grpc.ForwarderListener;
import io.relaymesh.application.stats.PodActivity;
import io.relaymesh.domain.model.PodId;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Forwarding metrics by peer: batches and their latency, events, failures, retries, stream opens,
 * warm-ups and circuit state (0 closed, 1 half-open, 2 open); forwarded events also count in the pod's live stats
 * ({@link PodActivity}). Lives in bootstrap because it joins two adapters (gRPC and Micrometer).
 * Thread-safe.
 */
final class MicrometerForwarderListener implements ForwarderListener {
    private static final Logger LOG = Logger.getLogger(MicrometerForwarderListener.class.getName());

    private static final String SENT = "relaymesh_grpc_messages_sent";
    private static final String SENT_HELP = "Events forwarded to a peer pod";
    private static final String FAILURES = "relaymesh_grpc_forward_failures";
    private static final String FAILURES_HELP = "Forwards that failed after retries";
    private static final String RETRIES = "relaymesh_grpc_forward_retry_attempts";
    private static final String RETRIES_HELP = "Forwards whose unacknowledged events were sent again";
    private static final String OPENS = "relaymesh_grpc_stream_opens";
    private static final String OPENS_HELP = "Streams to a peer pod opened (the first, and each replacing one that ended)";
    private static final String WARMUPS = "relaymesh_grpc_warmups";
    private static final String WARMUPS_HELP = "Streams opened to a peer pod when it appeared, before any event for it";

    private final MeterRegistry registry;
    private final PodActivity activity;
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> circuits = new ConcurrentHashMap<>();

    MicrometerForwarderListener(MeterRegistry registry, PodActivity activity) {
        this.registry = registry;
        this.activity = activity;
    }

    /**
     * The peer's series start at zero: its circuit gauge closed, and its counters, so that a panel
     * shows the peer at once and the first failure is an increase (a counter born at 1 has no rate).
     */
    @Override
    public void peerAdded(PodId peer) {
        circuit(peer).set(0);
        counter(SENT, peer, SENT_HELP);
        counter(FAILURES, peer, FAILURES_HELP);
        counter(RETRIES, peer, RETRIES_HELP);
        counter(OPENS, peer, OPENS_HELP);
        counter(WARMUPS, peer, WARMUPS_HELP);
    }

    @Override
    public void peerWarmed(PodId peer) {
        counter(WARMUPS, peer, WARMUPS_HELP).increment();
    }

    @Override
    public void streamOpened(PodId peer) {
        counter(OPENS, peer, OPENS_HELP).increment();
    }

    @Override
    public void batchSent(PodId peer, int events, long latencyNanos) {
        latency.computeIfAbsent(peer.value(), p -> Timer.builder("relaymesh_grpc_forward_latency").tag("peer", p)
                .description("Batches to a peer pod, from send to acknowledgement")
                .serviceLevelObjectives(Duration.ofMillis(1).dividedBy(4), Duration.ofMillis(1).dividedBy(2),
                        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
                        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500))
                .register(registry)).record(latencyNanos, TimeUnit.NANOSECONDS);
        counter(SENT, peer, SENT_HELP).increment(events);
        activity.forwarded(events);
    }

    @Override
    public void batchFailed(PodId peer, Throwable cause) {
        counter(FAILURES, peer, FAILURES_HELP).increment();
        LOG.warning(() -> "forward to pod_id=" + peer + " failed: " + cause.getMessage());
    }

    @Override
    public void retried(PodId peer, int attempt) {
        counter(RETRIES, peer, RETRIES_HELP).increment();
    }

    @Override
    public void circuitChanged(PodId peer, String state) {
        int value = switch (state) {
            case "open" -> 2;
            case "half_open" -> 1;
            default -> 0;
        };
        circuit(peer).set(value);
        LOG.info(() -> "circuit to pod_id=" + peer + " is " + state);
    }

    private AtomicInteger circuit(PodId peer) {
        return circuits.computeIfAbsent(peer.value(), p -> registry.gauge("relaymesh_grpc_circuit_state",
                io.micrometer.core.instrument.Tags.of("peer", p), new AtomicInteger()));
    }

    private Counter counter(String name, PodId peer, String description) {
        return counters.computeIfAbsent(name + "|" + peer.value(), k -> Counter.builder(name)
                .tag("peer", peer.value()).description(description).register(registry));
    }
}
