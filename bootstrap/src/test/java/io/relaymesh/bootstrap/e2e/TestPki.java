package io.relaymesh.bootstrap.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made by the test with {@code openssl} in a temporary folder: a CA, a server
 * certificate it signed for {@code IP:127.0.0.1} only (so dialling {@code localhost} is a host name
 * mismatch), and an unrelated CA that signed nothing we use. EC P-256 keys in PKCS#8 PEM.
 *
 * @param ca        the CA that signed {@code serverCert}
 * @param serverCert the server certificate (SAN IP:127.0.0.1)
 * @param serverKey its key
 * @param otherCa   a CA that did not sign the server certificate
 */
record TestPki(Path ca, Path serverCert, Path serverKey, Path otherCa) {
    private static final long OPENSSL_TIMEOUT_SECONDS = 30;

    static TestPki create(Path dir) {
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=Relaymesh Test CA");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "other-ca.key", "-out", "other-ca.crt", "-days", "2", "-subj", "/CN=Some Other CA");
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        write(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\n");
        openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.crt", "-days", "2", "-extfile", "server.ext");
        return new TestPki(dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"),
                dir.resolve("other-ca.crt"));
    }

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void openssl(Path dir, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("openssl.log").toFile()).start();
            if (!process.waitFor(OPENSSL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl did not finish: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("openssl failed: " + command + "\n"
                        + Files.readString(dir.resolve("openssl.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run openssl (apt-get install -y openssl)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
