package io.relaymesh.bootstrap.wiring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.relaymesh.adapters.grpc.DeliveryServerListener;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts what this pod's Deliver server refuses: calls without a valid cluster secret
 * ({@code relaymesh_grpc_unauthenticated_total{reason}}) and events of authenticated calls that are
 * not valid ({@code relaymesh_grpc_events_rejected_total{reason}}). Every reason's series starts at
 * zero so that the first refusal is an increase an alert can see. Thread-safe.
 */
final class MicrometerDeliveryServerListener implements DeliveryServerListener {
    static final String UNAUTHENTICATED = "relaymesh_grpc_unauthenticated";
    static final String REJECTED = "relaymesh_grpc_events_rejected";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    MicrometerDeliveryServerListener(MeterRegistry registry) {
        this.registry = registry;
        List.of("missing_secret", "wrong_secret").forEach(reason -> counter(UNAUTHENTICATED, reason));
        List.of("invalid_from_pod_id", "invalid_event_id", "invalid_route_key", "invalid_payload")
                .forEach(reason -> counter(REJECTED, reason));
    }

    @Override
    public void unauthenticated(String reason) {
        counter(UNAUTHENTICATED, reason).increment();
    }

    @Override
    public void eventRejected(String reason) {
        counter(REJECTED, reason).increment();
    }

    private Counter counter(String name, String reason) {
        return counters.computeIfAbsent(name + "|" + reason, k -> Counter.builder(name).tag("reason", reason)
                .description(name.equals(UNAUTHENTICATED)
                        ? "Pod-to-pod calls refused for a missing or wrong cluster secret"
                        : "Forwarded events not accepted because an id, a route key or the payload is invalid")
                .register(registry));
    }
}
