package io.relaymesh.adapters.grpc;

import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.stub.MetadataUtils;
import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.proto.v2.PodDeliveryGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The one gRPC channel to a peer, rebuilt when the peer's address changes. Its callbacks run on
 * the transport thread (direct executor: the stream's handlers only hand news to the lane), and
 * it pings an idle connection every {@link #KEEPALIVE}, so that a stream to a peer that vanished
 * without closing its connection ends. Thread-safe (all state is guarded by this object's monitor).
 */
final class PeerChannel {
    private static final Logger LOG = LoggerFactory.getLogger(PeerChannel.class);
    /** Pings after this much silence; the server permits {@value GrpcDeliveryServer#PERMIT_KEEPALIVE_SECONDS} s. */
    static final Duration KEEPALIVE = Duration.ofSeconds(20);
    private static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);

    private final PodId peer;
    private final PodId self;
    private final PeerCredentials credentials;
    private ManagedChannel channel;
    private String address;
    private PodDeliveryGrpc.PodDeliveryStub stub;
    private boolean closed;

    PeerChannel(PodId peer, PodId self, PeerCredentials credentials) {
        this.peer = peer;
        this.self = self;
        this.credentials = credentials;
    }

    /**
     * A stub on a channel to {@code target} whose calls name this pod ({@link PodIdHeader}); the
     * channel is reused while the address stays the same, and replaced when the peer moved.
     */
    synchronized PodDeliveryGrpc.PodDeliveryStub stubFor(String target) {
        if (closed) {
            throw new PortUnavailableException("grpc", "the channel to pod " + peer + " is closed", null);
        }
        // A channel whose last connection attempt failed fails new calls at once, on that old
        // news, until its own reconnect back-off (up to two minutes) ends; the lane paces its
        // attempts already, so a fresh channel tries the peer as it is now.
        boolean failing = channel != null && channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE;
        if (channel == null || !target.equals(address) || failing) {
            if (channel != null) {
                if (!target.equals(address)) {
                    LOG.info("pod_id={} moved from {} to {}; replacing its channel", peer, address, target);
                }
                channel.shutdownNow();
            }
            channel = Grpc.newChannelBuilder(target, credentials.channelCredentials())
                    .directExecutor()
                    .keepAliveTime(KEEPALIVE.toSeconds(), TimeUnit.SECONDS)
                    .keepAliveTimeout(KEEPALIVE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .maxInboundMessageSize(GrpcDeliveryServer.MAX_INBOUND_BYTES)
                    .build();
            address = target;
            stub = PodDeliveryGrpc.newStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(PodIdHeader.naming(self.value())));
        }
        return stub;
    }

    synchronized boolean isOpen() {
        return channel != null && !closed;
    }

    /** Closes the channel, giving calls still on it up to {@code timeout} to end, then cancelling them. Idempotent. */
    void close(Duration timeout) {
        ManagedChannel current;
        synchronized (this) {
            closed = true;
            current = channel;
        }
        if (current == null) {
            return;
        }
        current.shutdown();
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
