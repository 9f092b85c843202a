package io.relaymesh.bootstrap.config;

import java.util.Objects;

/**
 * How pods authenticate each other on the gRPC port. Cluster mode requires the secret, the TLS
 * files, or both, unless {@code allowUnauthenticated} explicitly says otherwise (see
 * {@link ClusterRequirements}). Changes take effect at restart; the TLS files themselves are read
 * again when they change.
 *
 * @param clusterSecret         sent and accepted on every pod-to-pod call; empty for none
 * @param previousClusterSecret also accepted, never sent (rotation by rolling restarts); empty for none
 * @param tlsCertFile           this pod's certificate (PEM) for mutual TLS; empty for plaintext
 * @param tlsKeyFile            its private key (PKCS#8 PEM)
 * @param tlsCaFile             the CA that signs every pod's certificate (PEM)
 * @param allowUnauthenticated  whether cluster mode may run with neither secret nor TLS
 */
public record PodAuthConfig(String clusterSecret, String previousClusterSecret, String tlsCertFile,
                            String tlsKeyFile, String tlsCaFile, boolean allowUnauthenticated) {

    public PodAuthConfig {
        Objects.requireNonNull(clusterSecret, "clusterSecret");
        Objects.requireNonNull(previousClusterSecret, "previousClusterSecret");
        Objects.requireNonNull(tlsCertFile, "tlsCertFile");
        Objects.requireNonNull(tlsKeyFile, "tlsKeyFile");
        Objects.requireNonNull(tlsCaFile, "tlsCaFile");
    }

    /** Whether mutual TLS is configured (the binder checks that the three files come together). */
    public boolean tls() {
        return !tlsCertFile.isEmpty();
    }

    /** Whether peers are authenticated at all. */
    public boolean authenticates() {
        return !clusterSecret.isEmpty() || tls();
    }

    /** Masks the secrets: config records end up in log lines. */
    @Override
    public String toString() {
        return "PodAuthConfig[clusterSecret=" + Secrets.mask(clusterSecret)
                + ", previousClusterSecret=" + Secrets.mask(previousClusterSecret)
                + ", tlsCertFile=" + tlsCertFile + ", tlsKeyFile=" + tlsKeyFile + ", tlsCaFile=" + tlsCaFile
                + ", allowUnauthenticated=" + allowUnauthenticated + "]";
    }
}
