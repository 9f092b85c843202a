package io.relaymesh.bootstrap.config;

import java.util.Objects;

/**
 * TLS of the HTTP/WebSocket listener: PEM certificate chain and private key files, both set or
 * both empty (plain HTTP). The paths need a restart to change; the files they name are read again
 * on every reload (SIGHUP), which is how a certificate is rotated.
 *
 * @param certFile PEM certificate chain, server certificate first; empty for none
 * @param keyFile  PEM private key of that certificate; empty for none
 */
public record ListenerTlsConfig(String certFile, String keyFile) {
    /** Plain HTTP. */
    public static final ListenerTlsConfig NONE = new ListenerTlsConfig("", "");

    public ListenerTlsConfig {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        if (certFile.isEmpty() != keyFile.isEmpty()) {
            throw new IllegalArgumentException("server.tls_cert_file and server.tls_key_file go together");
        }
    }

    public boolean enabled() {
        return !certFile.isEmpty();
    }
}
