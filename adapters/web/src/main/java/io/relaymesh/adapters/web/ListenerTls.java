package io.relaymesh.adapters.web;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The certificate chain and private key (PEM files) of the HTTP/WebSocket listener. The files are
 * read on every {@link #load()}, so replacing them and reloading serves the new certificate to new
 * connections. Immutable.
 *
 * @param certFile PEM certificate chain, the server's certificate first
 * @param keyFile  PEM private key (PKCS#8 or PKCS#1) of that certificate
 */
public record ListenerTls(Path certFile, Path keyFile) {
    public ListenerTls {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
    }

    /**
     * Reads both files into a TLS configuration for Helidon.
     *
     * @throws IllegalStateException naming the file when one cannot be read or holds no key or certificate
     */
    public Tls load() {
        for (Path file : new Path[]{certFile, keyFile}) {
            if (!Files.isReadable(file)) {
                throw new IllegalStateException("TLS file " + file + " is missing or not readable");
            }
        }
        try {
            Keys keys = Keys.builder()
                    .pem(pem -> pem.key(Resource.create(keyFile)).certChain(Resource.create(certFile)))
                    .build();
            if (keys.privateKey().isEmpty() || keys.certChain().isEmpty()) {
                throw new IllegalStateException("no private key in " + keyFile + " or no certificate in " + certFile);
            }
            return Tls.builder()
                    .privateKey(keys.privateKey().get())
                    .privateKeyCertChain(keys.certChain())
                    // Clients present no certificate (no client auth), so trust is never consulted;
                    // but Helidon's reloadTls needs a reloadable trust manager to exist (else NPE).
                    .trust(keys.certChain())
                    .build();
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException ise && ise.getMessage() != null && ise.getMessage().startsWith("no ")) {
                throw ise;
            }
            throw new IllegalStateException("cannot read the TLS certificate " + certFile + " and key " + keyFile
                    + ": " + e.getMessage(), e);
        }
    }
}
