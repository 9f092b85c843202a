package io.relaymesh.bootstrap.tls;

import io.relaymesh.bootstrap.config.ClientTlsConfig;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Client {@link SSLContext}s from PEM files: the CA certificates to trust (else the JVM's default
 * trust store) and an optional client certificate with its PKCS#8 key. The JDK reads PEM
 * certificates but not PEM keys, hence the small key reader here. Stateless and thread-safe.
 */
public final class ClientTlsContexts {
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    // The key algorithms a PKCS#8 key may hold; the first that parses it wins.
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");
    private static final char[] NO_PASSWORD = new char[0];

    private ClientTlsContexts() {
    }

    /**
     * A TLS client context trusting {@code files.caFile()} (or the JVM's CAs when it is empty) and
     * presenting the client certificate when one is given.
     *
     * @param what names the connection in messages ({@code "redis"}, {@code "nats"})
     * @throws IllegalStateException naming the file and the setting when a file is unreadable or holds no
     *                               certificate or key of a supported kind; never shows a key's contents
     */
    public static SSLContext of(String what, ClientTlsConfig files) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(files.clientCertificate() ? keyManagers(what, files).getKeyManagers() : null,
                    trustManagers(what, files.caFile()).getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(what + " TLS: cannot set up TLS from " + describe(files) + ": "
                    + e.getMessage(), e);
        }
    }

    private static TrustManagerFactory trustManagers(String what, String caFile) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (caFile.isEmpty()) {
            factory.init((KeyStore) null);
            return factory;
        }
        Collection<? extends Certificate> cas = certificates(what + ".tls_ca_file", caFile);
        KeyStore store = emptyStore();
        int i = 0;
        for (Certificate ca : cas) {
            store.setCertificateEntry("ca-" + i++, ca);
        }
        factory.init(store);
        return factory;
    }

    private static KeyManagerFactory keyManagers(String what, ClientTlsConfig files) throws GeneralSecurityException {
        Certificate[] chain = certificates(what + ".tls_cert_file", files.certFile()).toArray(Certificate[]::new);
        PrivateKey key = privateKey(what + ".tls_key_file", files.keyFile());
        KeyStore store = emptyStore();
        store.setKeyEntry("client", key, NO_PASSWORD, chain);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, NO_PASSWORD);
        return factory;
    }

    private static Collection<? extends Certificate> certificates(String setting, String file) {
        try (InputStream in = new ByteArrayInputStream(read(setting, file))) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalStateException(setting + ": no PEM certificate in " + file);
            }
            return certificates;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(setting + ": " + file + " holds no readable PEM certificate ("
                    + e.getMessage() + ")", e);
        }
    }

    private static PrivateKey privateKey(String setting, String file) {
        String pem = new String(read(setting, file), StandardCharsets.US_ASCII);
        Matcher block = PEM_BLOCK.matcher(pem);
        List<String> seen = new ArrayList<>();
        while (block.find()) {
            String type = block.group(1);
            if (!type.equals("PRIVATE KEY")) {
                seen.add(type);
                continue;
            }
            byte[] der = Base64.getMimeDecoder().decode(block.group(2));
            for (String algorithm : KEY_ALGORITHMS) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (GeneralSecurityException notThisAlgorithm) {
                    // try the next one
                }
            }
            throw new IllegalStateException(setting + ": the key in " + file + " is not an RSA, EC or EdDSA key");
        }
        throw new IllegalStateException(setting + ": no unencrypted PKCS#8 key (BEGIN PRIVATE KEY) in " + file
                + (seen.isEmpty() ? "" : " (found " + String.join(", ", seen) + ")")
                + "; convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
    }

    private static byte[] read(String setting, String file) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new IllegalStateException(setting + ": cannot read " + file + " (" + e.getMessage() + ")", e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an in-memory key store", e);
        }
        return store;
    }

    private static String describe(ClientTlsConfig files) {
        return "CA " + (files.caFile().isEmpty() ? "(JVM default trust store)" : files.caFile())
                + (files.clientCertificate() ? ", client certificate " + files.certFile() : "");
    }
}
