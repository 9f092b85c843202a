package io.relaymesh.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throw-away certificates for TLS tests, made with {@code openssl} in a folder of the test's own:
 * a CA, and leaf certificates it signs (valid for client and server use, for 127.0.0.1 and
 * localhost, private key in PKCS#8 PEM). Nothing is checked in; every run makes new keys.
 */
public final class TestCertificates {
    private static final long OPENSSL_TIMEOUT_SECONDS = 30;

    private final Path dir;
    private final String name;

    private TestCertificates(Path dir, String name) {
        this.dir = dir;
        this.name = name;
    }

    /** A new CA named {@code name}, its files in {@code dir}. */
    public static TestCertificates newCa(Path dir, String name) {
        TestCertificates ca = new TestCertificates(dir, name);
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", ca.caKey().toString(), "-out", ca.caCert().toString(), "-subj", "/CN=" + name);
        return ca;
    }

    /** The CA's certificate (PEM), what a peer trusts. */
    public Path caCert() {
        return dir.resolve(name + "-ca.pem");
    }

    private Path caKey() {
        return dir.resolve(name + "-ca.key");
    }

    /** A leaf certificate and key signed by this CA. */
    public Leaf issue(String leafName) {
        Path key = dir.resolve(name + "-" + leafName + ".key");
        Path csr = dir.resolve(name + "-" + leafName + ".csr");
        Path cert = dir.resolve(name + "-" + leafName + ".pem");
        Path ext = dir.resolve(name + "-" + leafName + ".ext");
        try {
            Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                    + "extendedKeyUsage=serverAuth,clientAuth\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + ext, e);
        }
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(),
                "-subj", "/CN=" + leafName);
        openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", caCert().toString(), "-CAkey", caKey().toString(),
                "-CAcreateserial", "-days", "2", "-out", cert.toString(), "-extfile", ext.toString());
        return new Leaf(cert, key);
    }

    /** A certificate (PEM) and its private key (PKCS#8 PEM). */
    public record Leaf(Path cert, Path key) {
    }

    private static void openssl(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("openssl.log").toFile()).start();
            if (!process.waitFor(OPENSSL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl " + args[0] + " did not finish in " + OPENSSL_TIMEOUT_SECONDS
                        + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: "
                        + Files.readString(dir.resolve("openssl.log")));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run openssl (needed to make test certificates)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making test certificates", e);
        }
    }
}
