package io.relaymesh.adapters.grpc;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How pods prove to each other that they belong to the cluster: a shared cluster secret sent with
 * every stream and call, mutual TLS with certificates signed by the cluster's CA, or both. With
 * neither, anyone who reaches the gRPC port may push events into this pod's sockets, so
 * configuration refuses that unless explicitly allowed.
 *
 * @param clusterSecret         sent with every call and accepted; empty for none
 * @param previousClusterSecret also accepted (never sent), so that a secret can be rotated by two
 *                              rolling restarts without refusing calls; empty for none
 * @param tls                   mutual TLS files, or null for plaintext
 */
public record PodSecurity(String clusterSecret, String previousClusterSecret, Tls tls) {

    public PodSecurity {
        Objects.requireNonNull(clusterSecret, "cluster_secret");
        Objects.requireNonNull(previousClusterSecret, "cluster_secret_previous");
        if (clusterSecret.isEmpty() && !previousClusterSecret.isEmpty()) {
            throw new IllegalArgumentException("cluster_secret_previous needs a cluster_secret");
        }
    }

    /**
     * Mutual TLS between pods: this pod presents {@code certFile}/{@code keyFile} (PEM; the key in
     * PKCS#8) and accepts only peers whose certificate {@code caFile} signed. The files are read
     * again when they change, so certificates can be renewed without a restart.
     */
    public record Tls(Path certFile, Path keyFile, Path caFile) {
        public Tls {
            Objects.requireNonNull(certFile, "grpc_tls_cert_file");
            Objects.requireNonNull(keyFile, "grpc_tls_key_file");
            Objects.requireNonNull(caFile, "grpc_tls_ca_file");
        }
    }

    /** No authentication at all: tests of other features, and clusters that explicitly allow it. */
    public static PodSecurity none() {
        return new PodSecurity("", "", null);
    }

    /** Only a shared secret, over plaintext. */
    public static PodSecurity secret(String clusterSecret) {
        return new PodSecurity(clusterSecret, "", null);
    }

    /** Whether calls must carry a cluster secret. */
    public boolean requiresSecret() {
        return !clusterSecret.isEmpty();
    }

    /** Whether peers are authenticated at all (secret or certificate). */
    public boolean authenticates() {
        return requiresSecret() || tls != null;
    }

    /** Masks the secrets: settings end up in log lines. */
    @Override
    public String toString() {
        return "PodSecurity[clusterSecret=" + (clusterSecret.isEmpty() ? "(empty)" : "(" + clusterSecret.length()
                + " chars)") + ", previousClusterSecret=" + (previousClusterSecret.isEmpty() ? "(empty)" : "(set)")
                + ", tls=" + tls + "]";
    }
}
