package io.relaymesh.bootstrap.e2e;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real jar serving the peer rooms over TLS only: its main listener ({@code /rooms/ws}, {@code /ws})
 * and the rooms' own listener both use a certificate of the test's {@link TestPki}, and clients
 * trust that test CA.
 */
final class RoomsJar implements AutoCloseable {
    final JarProcess jar;
    final int port;
    final int roomsPort;
    final HttpClient https;

    private RoomsJar(JarProcess jar, int port, int roomsPort, HttpClient https) {
        this.jar = jar;
        this.port = port;
        this.roomsPort = roomsPort;
        this.https = https;
    }

    /**
     * Starts the jar with {@code config} (a file of config/), the test keys, TLS on both listeners
     * and {@code extra} settings; waits until it answers https /health.
     */
    static RoomsJar start(TestPki pki, String config, Map<String, String> extra) throws Exception {
        int port = JarProcess.freePort();
        int roomsPort = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(JarProcess.keyedEnv(port));
        env.put("RELAYMESH_SERVER_TLS_CERT_FILE", pki.serverCert().toString());
        env.put("RELAYMESH_SERVER_TLS_KEY_FILE", pki.serverKey().toString());
        env.put("RELAYMESH_DIALECTS_ROOMS_LISTENER_PORT", String.valueOf(roomsPort));
        env.putAll(extra);
        HttpClient https = HttpClient.newBuilder().sslContext(trusting(pki.ca())).connectTimeout(Duration.ofSeconds(5))
                .build();
        JarProcess jar = JarProcess.start(port, env, 0, "--config", Path.of("..", "config", config).toString());
        RoomsJar rooms = new RoomsJar(jar, port, roomsPort, https);
        try {
            GatewayHarness.eventually(Duration.ofSeconds(40), "https /health on " + port,
                    () -> rooms.status("/health") == 200 || !jar.process.isAlive());
            assertTrue(jar.process.isAlive(), "the jar exited:\n" + jar.output());
        } catch (AssertionError e) {
            rooms.close();
            throw new AssertionError(e.getMessage() + "\n" + jar.tail(40), e);
        }
        return rooms;
    }

    /** wss:// on the main listener. */
    URI wss(String path) {
        return URI.create("wss://127.0.0.1:" + port + path);
    }

    /** wss:// on the rooms' own listener. */
    URI roomsListener(String path) {
        return URI.create("wss://127.0.0.1:" + roomsPort + path);
    }

    RoomsPeer peer(String path) {
        return RoomsPeer.connect(https, wss(path));
    }

    int status(String path) {
        try {
            return https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    String get(String path) throws Exception {
        return https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static SSLContext trusting(Path ca) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(ca)) {
            store.setCertificateEntry("test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    @Override
    public void close() throws Exception {
        jar.close();
    }
}
