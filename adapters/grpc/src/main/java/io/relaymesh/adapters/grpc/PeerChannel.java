package io.relaymesh.adapters.grpc;

import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.proto.v1.PodDeliveryGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The one gRPC channel to a peer, rebuilt when the peer's address changes. Thread-safe (all
 * state is guarded by this object's monitor).
 */
final class PeerChannel {
    private static final Logger LOG = LoggerFactory.getLogger(PeerChannel.class);

    private final PodId peer;
    private final PeerCredentials credentials;
    private ManagedChannel channel;
    private String address;
    private PodDeliveryGrpc.PodDeliveryBlockingStub stub;
    private boolean closed;

    PeerChannel(PodId peer, PeerCredentials credentials) {
        this.peer = peer;
        this.credentials = credentials;
    }

    /**
     * A stub on a channel to {@code address}; the channel is reused while the address stays the
     * same, and replaced when the pod directory announces the peer somewhere else.
     */
    synchronized PodDeliveryGrpc.PodDeliveryBlockingStub stubFor(String target) {
        if (closed) {
            throw new PortUnavailableException("grpc", "the channel to pod " + peer + " is closed", null);
        }
        if (channel == null || !target.equals(address)) {
            if (channel != null) {
                LOG.info("pod_id={} moved from {} to {}; replacing its channel", peer, address, target);
                channel.shutdown();
            }
            channel = Grpc.newChannelBuilder(target, credentials.channelCredentials())
                    .maxInboundMessageSize(GrpcDeliveryServer.MAX_INBOUND_BYTES).build();
            address = target;
            stub = PodDeliveryGrpc.newBlockingStub(channel);
        }
        return stub;
    }

    /**
     * A channel whose connection failed fails every call at once until its reconnect back-off
     * (up to two minutes) ends; retries and the circuit breaker already pace calls to a failing
     * peer, so reconnect now and see at once a peer that is back.
     */
    synchronized void reconnectIfFailing() {
        if (channel != null && channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            channel.resetConnectBackoff();
        }
    }

    synchronized boolean isOpen() {
        return channel != null && !closed;
    }

    /** Starts closing: no new calls; calls in flight may finish until {@link #awaitClosed}. */
    synchronized void shutdown() {
        closed = true;
        if (channel != null) {
            channel.shutdown();
        }
    }

    /** Waits up to {@code timeout} for calls in flight, then cancels them. */
    void awaitClosed(Duration timeout) {
        ManagedChannel current;
        synchronized (this) {
            current = channel;
        }
        if (current == null) {
            return;
        }
        try {
            if (!current.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                current.shutdownNow();
            }
        } catch (InterruptedException e) {
            current.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
