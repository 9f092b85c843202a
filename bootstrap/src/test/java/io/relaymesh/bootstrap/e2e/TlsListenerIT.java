package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP/WebSocket listener with {@code server.tls_cert_file}/{@code server.tls_key_file}: a
 * {@code wss://} client of the real jar gets its events, and a SIGHUP after the files were replaced
 * serves the new certificate to new connections while an open socket stays open.
 */
class TlsListenerIT {
    @TempDir
    Path dir;

    @Test
    void wssClient_receivesAnEvent_andACertificateReload_keepsOpenSocketsAndServesTheNewCertToNewOnes() throws Exception {
        Path first = selfSigned("first");
        Path second = selfSigned("second");
        Path cert = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        install(first, cert, key);
        SSLContext trust = trusting(first.resolve("cert.pem"), second.resolve("cert.pem"));
        HttpClient https = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(5)).build();

        int port = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(JarProcess.keyedEnv(port));
        env.put("RELAYMESH_SERVER_TLS_CERT_FILE", cert.toString());
        env.put("RELAYMESH_SERVER_TLS_KEY_FILE", key.toString());
        try (JarProcess jar = JarProcess.start(port, env, 0)) {
            String base = "https://127.0.0.1:" + port;
            GatewayHarness.eventually(Duration.ofSeconds(30), "https /health on " + port + ":\n" + jar.output(),
                    () -> status(https, base + "/health") == 200 || !jar.process.isAlive());
            assertEquals(200, status(https, base + "/health"), jar.tail(20));
            assertEquals(certificate(first), servedCertificate(trust, port), "the first certificate is served");

            String token = GatewayHarness.json(post(https, base + "/generate-token", GatewayHarness.GENERAL_KEY,
                    "{\"company_id\":\"acme\",\"agent_id\":\"tls\",\"user_id\":\"alice\"}")).path("token").asText();
            try (WsClient user = WsClient.connect(https, URI.create("wss://127.0.0.1:" + port + "/ws/acme/tls?token="
                    + GatewayHarness.q(token) + "&x-api-key=" + GatewayHarness.q(GatewayHarness.GENERAL_KEY)))) {
                user.expectReady();
                publish(https, base, "before-reload");
                assertEquals("before-reload", user.next(Duration.ofSeconds(10)).path("payload").path("event_id").asText());

                install(second, cert, key);
                jar.hangUp();
                try {
                    GatewayHarness.eventually(Duration.ofSeconds(20), "the certificate reloaded",
                            () -> jar.output().contains("TLS certificate reloaded"));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + ":\n" + jar.tail(30), e);
                }
                assertEquals(certificate(second), servedCertificate(trust, port), "new connections see the new certificate");

                publish(https, base, "after-reload");
                JsonNode event = user.next(Duration.ofSeconds(10));
                assertEquals("after-reload", event.path("payload").path("event_id").asText(),
                        "the socket opened before the reload still receives events: " + event);
                user.send("{\"type\":\"ping\"}");
                assertEquals("pong", user.next(Duration.ofSeconds(10)).path("type").asText());
            }
            assertTrue(status(HttpClient.newHttpClient(), "http://127.0.0.1:" + port + "/health") != 200,
                    "plain HTTP is not served on a TLS listener");
        }
    }

    /** A self-signed certificate for localhost/127.0.0.1 and its key, made by openssl, in a folder of its own. */
    private Path selfSigned(String name) throws Exception {
        Path out = Files.createDirectories(dir.resolve(name));
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", out.resolve("key.pem").toString(), "-out", out.resolve("cert.pem").toString(),
                "-days", "2", "-subj", "/CN=" + name, "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")
                .redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes());
        assertTrue(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0, "openssl failed: " + output);
        return out;
    }

    /** Replaces the served files (each with one atomic move, as a certificate manager would). */
    private static void install(Path pair, Path cert, Path key) throws Exception {
        Files.copy(pair.resolve("key.pem"), key.resolveSibling("key.tmp"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(key.resolveSibling("key.tmp"), key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.copy(pair.resolve("cert.pem"), cert.resolveSibling("cert.tmp"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(cert.resolveSibling("cert.tmp"), cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static X509Certificate certificate(Path pair) throws Exception {
        try (InputStream in = Files.newInputStream(pair.resolve("cert.pem"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static SSLContext trusting(Path... certs) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < certs.length; i++) {
            try (InputStream in = Files.newInputStream(certs[i])) {
                store.setCertificateEntry("test-" + i, CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** The certificate a fresh TLS connection to the listener is shown. */
    private static Certificate servedCertificate(SSLContext trust, int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.startHandshake();
            return socket.getSession().getPeerCertificates()[0];
        }
    }

    private static int status(HttpClient http, String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String post(HttpClient http, String url, String apiKey, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5)).header("X-API-Key", apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() / 100 == 2, url + ": " + response.statusCode() + " " + response.body());
        return response.body();
    }

    private static void publish(HttpClient http, String base, String eventId) throws Exception {
        post(http, base + "/api/v1/publish", GatewayHarness.ADMIN_KEY,
                "{\"subject\":\"websocket.acme.tls.chats\",\"payload\":{\"event_id\":\"" + eventId + "\"}}");
    }
}
