package io.relaymesh.bootstrap.config;

import java.util.Objects;

/**
 * PEM files of a TLS client connection (to Redis or NATS): the CA that must have signed the
 * server's certificate and, for servers that ask for one, the client's own certificate and key.
 * Paths are not secret (the key file's contents are); they need a restart to change.
 *
 * @param caFile   PEM CA certificate(s) to verify the server with; empty = the JVM's default trust store
 * @param certFile PEM client certificate chain; empty for none
 * @param keyFile  PEM (PKCS#8) private key of {@code certFile}; empty for none
 */
public record ClientTlsConfig(String caFile, String certFile, String keyFile) {
    /** No files: the JVM's trust store, no client certificate. */
    public static final ClientTlsConfig NONE = new ClientTlsConfig("", "", "");

    public ClientTlsConfig {
        Objects.requireNonNull(caFile, "caFile");
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        if (certFile.isEmpty() != keyFile.isEmpty()) {
            throw new IllegalArgumentException("a client certificate file and its key file go together");
        }
    }

    /** Whether any file is given. */
    public boolean anyFile() {
        return !caFile.isEmpty() || !certFile.isEmpty();
    }

    /** Whether a client certificate is presented. */
    public boolean clientCertificate() {
        return !certFile.isEmpty();
    }
}
