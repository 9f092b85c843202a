package io.relaymesh.bench.cluster;

import io.relaymesh.adapters.grpc.GrpcDeliveryServer;
import io.relaymesh.bootstrap.Relaymesh;
import io.relaymesh.bootstrap.config.ConfigLoader;
import io.relaymesh.bootstrap.config.LoadResult;
import io.relaymesh.bootstrap.wiring.ClusterParts;
import io.relaymesh.bootstrap.wiring.GrpcServerHolder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One gateway pod in cluster mode, in this JVM: configured through the same loader as Main (defaults
 * plus {@code RELAYMESH_*} variables), on loopback, with its own HTTP port (any free one) and gRPC
 * port. Exposes what the benchmark needs: its addresses, its counters, and its gRPC server for the
 * outage. Thread-safe where Relaymesh is; close once.
 */
public final class Pod implements AutoCloseable {
    public static final String GENERAL_KEY = "bench-general-key-0123456789abcdef";
    public static final String ADMIN_KEY = "bench-admin-key-0123456789abcdefgh";
    private static final String USER_AES = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    private static final String ADMIN_AES = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
    private static final String CLUSTER_SECRET = "bench-cluster-secret-0123456789abcdef";

    private final String id;
    private final Relaymesh relaymesh;
    private final GrpcDeliveryServer firstGrpcServer;
    private final AtomicInteger listenerDeaths = new AtomicInteger();

    private Pod(String id, Map<String, String> env) {
        this.id = id;
        LoadResult loaded = ConfigLoader.load(Optional.empty(), env);
        if (loaded instanceof LoadResult.Rejected rejected) {
            throw new IllegalStateException("pod " + id + " config rejected: " + rejected.problems());
        }
        this.relaymesh = Relaymesh.start(((LoadResult.Loaded) loaded).config(), listenerDeaths::incrementAndGet);
        this.firstGrpcServer = grpcHolder().current();
    }

    public static Pod start(String id, String redisAddress, String natsUrl) {
        int grpc = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("RELAYMESH_SERVER_POD_ID", id);
        env.put("RELAYMESH_SERVER_HOST", "127.0.0.1");
        env.put("RELAYMESH_SERVER_HTTP_PORT", "0");
        env.put("RELAYMESH_SERVER_GRPC_PORT", Integer.toString(grpc));
        env.put("RELAYMESH_SERVER_GRPC_ADVERTISE_ADDRESS", "127.0.0.1:" + grpc);
        env.put("RELAYMESH_REDIS_ADDRESS", redisAddress);
        env.put("RELAYMESH_NATS_URL", natsUrl);
        env.put("RELAYMESH_AUTH_SECRET_TOKEN", GENERAL_KEY);
        env.put("RELAYMESH_AUTH_ADMIN_SECRET_TOKEN", ADMIN_KEY);
        env.put("RELAYMESH_AUTH_TOKEN_AES_KEY", USER_AES);
        env.put("RELAYMESH_AUTH_ADMIN_TOKEN_AES_KEY", ADMIN_AES);
        env.put("RELAYMESH_SERVER_CLUSTER_SECRET", CLUSTER_SECRET);
        // The load generator is one address (loopback) by design: per-IP caps would refuse it.
        env.put("RELAYMESH_SERVER_MAX_CONNECTIONS_PER_IP", "0");
        env.put("RELAYMESH_SERVER_UPGRADES_PER_IP_PER_SECOND", "0");
        env.put("RELAYMESH_SERVER_REQUESTS_PER_IP_PER_SECOND", "0");
        return new Pod(id, env);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    public String id() {
        return id;
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + relaymesh.port() + path);
    }

    public URI ws(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + relaymesh.port() + pathAndQuery);
    }

    public PodCounters counters() {
        return PodCounters.read(relaymesh.component().meterRegistry());
    }

    public int connections() {
        return relaymesh.component().hub().size();
    }

    /** Times the HTTP/WebSocket listener was reported dead (should stay 0). */
    public int listenerDeaths() {
        return listenerDeaths.get();
    }

    GrpcServerHolder grpcHolder() {
        return relaymesh.component().grpcServer();
    }

    ClusterParts parts() {
        return relaymesh.component().cluster().get();
    }

    /** Stops the pod; a gRPC server started again by an outage is stopped too (the pod only knows its first). */
    @Override
    public void close() {
        GrpcDeliveryServer current = grpcHolder().current();
        relaymesh.close();
        if (current != null && current != firstGrpcServer) {
            current.close();
        }
    }
}
