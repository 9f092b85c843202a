package io.relaymesh.adapters.grpc;

/**
 * Hooks for metrics of the receiving side of pod-to-pod delivery (bootstrap implements them with
 * Micrometer). Called from transport threads, concurrently: implementations must be thread-safe
 * and fast. An exception thrown here is logged and ignored.
 */
public interface DeliveryServerListener {

    /** Listens to nothing. */
    DeliveryServerListener NOOP = new DeliveryServerListener() {
    };

    /** A call was refused with UNAUTHENTICATED; {@code reason} is {@code missing_secret} or {@code wrong_secret}. */
    default void unauthenticated(String reason) {
    }

    /**
     * An event of an authenticated stream or call was not accepted; {@code reason} is
     * {@code invalid_from_pod_id} (once for a refused stream, once per event of a refused legacy
     * call), {@code invalid_event_id}, {@code invalid_route_key} or {@code invalid_payload}.
     */
    default void eventRejected(String reason) {
    }
}
