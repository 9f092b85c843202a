package io.relaymesh.adapters.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses, with UNAUTHENTICATED, every call that does not carry one of the accepted cluster
 * secrets in its {@value ClusterSecretCredentials#HEADER} header, before a single message of it is
 * read. The comparison takes the same time whatever the presented value (SHA-256 digests compared
 * with {@link MessageDigest#isEqual}), so the secret cannot be guessed byte by byte from timing.
 * Refusals are counted and logged at most every 10 s, never with the presented value. Thread-safe.
 */
final class ClusterSecretInterceptor implements ServerInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSecretInterceptor.class);
    static final String REFUSAL = "this pod accepts calls only from pods of its cluster: missing or wrong "
            + "cluster secret (server.cluster_secret)";

    private final List<byte[]> accepted = new ArrayList<>();
    private final DeliveryServerListener listener;
    private final ThrottledWarning warning = new ThrottledWarning(LOG, 10_000);

    ClusterSecretInterceptor(PodSecurity security, DeliveryServerListener listener) {
        if (!security.requiresSecret()) {
            throw new IllegalArgumentException("no cluster secret to check");
        }
        accepted.add(digest(security.clusterSecret()));
        if (!security.previousClusterSecret().isEmpty()) {
            accepted.add(digest(security.previousClusterSecret()));
        }
        this.listener = listener;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String presented = headers.get(ClusterSecretCredentials.KEY);
        String reason = presented == null ? "missing_secret" : matches(presented) ? null : "wrong_secret";
        if (reason == null) {
            return next.startCall(call, headers);
        }
        listener.unauthenticated(reason);
        SocketAddress from = call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        warning.warn("refused a pod-to-pod call from {}: {} (metric relaymesh_grpc_unauthenticated_total)", from,
                reason);
        call.close(Status.UNAUTHENTICATED.withDescription(REFUSAL), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    // Every accepted digest is compared, so the time does not tell which one matched either.
    private boolean matches(String presented) {
        byte[] candidate = digest(presented);
        boolean match = false;
        for (byte[] secret : accepted) {
            match |= MessageDigest.isEqual(secret, candidate);
        }
        return match;
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
