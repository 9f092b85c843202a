package io.relaymesh.adapters.grpc;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.PodId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Serves pod-to-pod delivery to the other pods: the v2 stream ({@link StreamService}), one per
 * peer, and the legacy unary v1 Deliver ({@link DeliveryService}) for pods of the previous
 * version. A batch whose local delivery cannot block (see {@link LocalDelivery#mayBlock()}) runs
 * on the transport thread that read it; one that may block runs on a virtual thread, never holding
 * a Netty event loop.
 *
 * <p>Only pods of the cluster are served (see {@link PodSecurity}): with mutual TLS a connection
 * without a certificate signed by the cluster CA fails its handshake; with a cluster secret a call
 * (stream or unary) without it is refused with UNAUTHENTICATED before its first message is read.
 * Messages are capped at {@value #MAX_INBOUND_BYTES} bytes (RESOURCE_EXHAUSTED beyond) and each
 * connection at {@value #MAX_CONCURRENT_CALLS_PER_CONNECTION} concurrent calls. Peers may ping
 * every {@value #PERMIT_KEEPALIVE_SECONDS} s so that an idle stream notices a vanished peer.
 * Thread-safe.
 */
public final class GrpcDeliveryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcDeliveryServer.class);
    /**
     * Largest request accepted: 4 MiB, four times NATS's default max_payload, so any one event fits;
     * senders split batches to stay below it ({@link #MAX_BATCH_BYTES}).
     */
    public static final int MAX_INBOUND_BYTES = 4 * 1024 * 1024;
    /** What a sender puts in one batch at most, leaving room for protobuf framing. */
    static final int MAX_BATCH_BYTES = MAX_INBOUND_BYTES - 64 * 1024;
    /** A peer keeps one stream open per channel; more concurrent calls are not a pod's doing. */
    public static final int MAX_CONCURRENT_CALLS_PER_CONNECTION = 16;
    /** Largest header block accepted: the cluster secret and gRPC's own headers fit easily. */
    static final int MAX_HEADER_BYTES = 8 * 1024;
    /** A TLS handshake not finished by then is dropped, so idle connections cannot pile up. */
    static final int HANDSHAKE_TIMEOUT_SECONDS = 10;
    /** The most frequent keepalive ping accepted from a peer (they ping every {@link PeerChannel#KEEPALIVE}). */
    static final int PERMIT_KEEPALIVE_SECONDS = 10;

    private final Server server;
    private final StreamService streams;
    private final int port;
    private final ExecutorService executor;
    private final Duration closeTimeout;
    private final PodTlsMaterial tls;

    private GrpcDeliveryServer(Server server, StreamService streams, ExecutorService executor, Duration closeTimeout,
                               PodTlsMaterial tls) {
        this.server = server;
        this.streams = streams;
        this.port = server.getPort();
        this.executor = executor;
        this.closeTimeout = closeTimeout;
        this.tls = tls;
    }

    /**
     * Starts serving on {@code port} without any authentication of the callers: for tests of
     * other features only.
     */
    public static GrpcDeliveryServer start(int port, LocalDelivery delivery, GrpcSettings settings) {
        return start(port, delivery, settings, PodSecurity.none(), DeliveryServerListener.NOOP);
    }

    /**
     * Starts serving on {@code port} on all interfaces (0 = a free port, see {@link #port()}),
     * authenticating callers as {@code security} says.
     *
     * @throws PortUnavailableException when the port cannot be bound or the TLS files cannot be read
     */
    public static GrpcDeliveryServer start(int port, LocalDelivery delivery, GrpcSettings settings,
                                           PodSecurity security, DeliveryServerListener listener) {
        return start(port, delivery, settings, security, listener, peer -> {
        });
    }

    /**
     * Like {@link #start(int, LocalDelivery, GrpcSettings, PodSecurity, DeliveryServerListener)}, and
     * tells {@code onPeerStream} the id of every pod that opens its stream here (on a transport
     * thread: it must not block), so that this pod can warm its own stream to that peer at once.
     */
    public static GrpcDeliveryServer start(int port, LocalDelivery delivery, GrpcSettings settings,
                                           PodSecurity security, DeliveryServerListener listener,
                                           Consumer<PodId> onPeerStream) {
        DeliveryServerListener guarded = new GuardedServerListener(listener);
        EventMessages.warmUp();
        PodTlsMaterial tls = security.tls() == null ? null : new PodTlsMaterial(security.tls());
        ServerCredentials credentials = tls == null ? InsecureServerCredentials.create() : tls.serverCredentials();
        ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("relaymesh-grpc-server-", 0).factory());
        BatchReceiver receiver = new BatchReceiver(delivery, guarded);
        List<ServerInterceptor> checks = new ArrayList<>();
        checks.add(new PodIdHeader());
        if (security.requiresSecret()) {
            // Added last, so it runs first: nothing of an unauthenticated call is looked at.
            checks.add(new ClusterSecretInterceptor(security, guarded));
        }
        StreamService streams = new StreamService(receiver, executor, guarded, onPeerStream);
        ServerServiceDefinition stream = ServerInterceptors.intercept(streams, checks);
        ServerServiceDefinition legacy = ServerInterceptors.intercept(
                new DeliveryService(receiver, executor, guarded), checks);
        Server server = NettyServerBuilder.forPort(port, credentials)
                .addService(stream)
                .addService(legacy)
                .directExecutor()
                .maxInboundMessageSize(MAX_INBOUND_BYTES)
                .maxInboundMetadataSize(MAX_HEADER_BYTES)
                .maxConcurrentCallsPerConnection(MAX_CONCURRENT_CALLS_PER_CONNECTION)
                .handshakeTimeout(HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .permitKeepAliveTime(PERMIT_KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .build();
        try {
            server.start();
        } catch (IOException e) {
            executor.shutdownNow();
            if (tls != null) {
                tls.close();
            }
            throw new PortUnavailableException("grpc", "cannot listen on port " + port, e);
        }
        if (security.authenticates()) {
            LOG.info("pod-to-pod gRPC server listening on port {}, callers authenticated by {}", server.getPort(),
                    describe(security));
        } else {
            LOG.warn("pod-to-pod gRPC server listening on port {} WITHOUT authentication: anyone who reaches "
                    + "the port can push events into this pod's sockets", server.getPort());
        }
        return new GrpcDeliveryServer(server, streams, executor, settings.closeTimeout(), tls);
    }

    private static String describe(PodSecurity security) {
        if (security.tls() != null && security.requiresSecret()) {
            return "mutual TLS and the cluster secret";
        }
        return security.tls() != null ? "mutual TLS" : "the cluster secret";
    }

    /** The port actually listened on. */
    public int port() {
        return port;
    }

    /** Whether the server takes calls (readiness). */
    public boolean isServing() {
        return !server.isShutdown();
    }

    /**
     * Stops taking calls, ends the peers' streams once their batch at hand is answered (with
     * UNAVAILABLE, so that they resend anything else elsewhere or later), waits up to the close
     * timeout for calls in flight, then cancels what is left. Idempotent.
     */
    @Override
    public void close() {
        if (server.isTerminated()) {
            return;
        }
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        server.shutdown();
        streams.shutdown(); // peers' streams never end by themselves
        try {
            if (!server.awaitTermination(closeTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.warn("gRPC server calls still running after {} ms; cancelling them", closeTimeout.toMillis());
                server.shutdownNow();
            }
            // Handlers of calls their client already gave up on may still be delivering locally.
            executor.shutdown();
            executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            executor.shutdownNow();
            if (tls != null) {
                tls.close();
            }
        }
        LOG.info("pod-to-pod gRPC server on port {} stopped", port);
    }
}
