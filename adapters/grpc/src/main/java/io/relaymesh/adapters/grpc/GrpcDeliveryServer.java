package io.relaymesh.adapters.grpc;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.relaymesh.domain.error.PortUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Serves PodDelivery.Deliver to the other pods. A call whose local delivery cannot block (see
 * {@link LocalDelivery#mayBlock()}) runs on the transport thread that read it; one that may block
 * runs on its own virtual thread, never holding a Netty event loop. Thread-safe.
 */
public final class GrpcDeliveryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcDeliveryServer.class);
    /** Largest request accepted; batches are bounded in events, so this leaves room for big payloads. */
    static final int MAX_INBOUND_BYTES = 32 * 1024 * 1024;

    private final Server server;
    private final int port;
    private final ExecutorService executor;
    private final Duration closeTimeout;

    private GrpcDeliveryServer(Server server, ExecutorService executor, Duration closeTimeout) {
        this.server = server;
        this.port = server.getPort();
        this.executor = executor;
        this.closeTimeout = closeTimeout;
    }

    /**
     * Starts serving on {@code port} on all interfaces (0 = a free port, see {@link #port()}).
     *
     * @throws PortUnavailableException when the port cannot be bound
     */
    public static GrpcDeliveryServer start(int port, LocalDelivery delivery, GrpcSettings settings) {
        ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("relaymesh-grpc-server-", 0).factory());
        Server server = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
                .addService(new DeliveryService(delivery, executor))
                .directExecutor()
                .maxInboundMessageSize(MAX_INBOUND_BYTES)
                .build();
        try {
            server.start();
        } catch (IOException e) {
            executor.shutdownNow();
            throw new PortUnavailableException("grpc", "cannot listen on port " + port, e);
        }
        LOG.info("pod-to-pod gRPC server listening on port {}", server.getPort());
        return new GrpcDeliveryServer(server, executor, settings.closeTimeout());
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
     * Stops taking calls and waits up to the close timeout for calls in flight, then cancels
     * what is left. Idempotent.
     */
    @Override
    public void close() {
        if (server.isTerminated()) {
            return;
        }
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        server.shutdown();
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
        }
        LOG.info("pod-to-pod gRPC server on port {} stopped", port);
    }
}
