package io.relaymesh.bench.rooms;

import io.relaymesh.bench.load.BackingServers;
import io.relaymesh.bench.load.GatewayPod;
import io.relaymesh.bench.support.ChildProcesses;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The pods of the rooms bench: the built jar in cluster mode (config/config.yaml) on the run's Redis
 * and NATS, each with the rooms' own listener on a free port over TLS (a self-signed certificate for
 * 127.0.0.1 made with openssl in the run's folder), tokens off and no per-connection rate, so the
 * bench measures the relay and not its limits.
 */
final class RoomsPods {
    /** One pod and the port of its rooms listener (TLS). */
    record Pod(GatewayPod pod, int roomsPort, int httpPort) {
    }

    private RoomsPods() {
    }

    static Pod start(String id, GatewayPod.Setup base, Path cert, Path key, Map<String, String> extra,
                     ChildProcesses children) {
        int roomsPort = freePort();
        Map<String, String> env = new java.util.HashMap<>(base.extraEnv());
        env.put("RELAYMESH_DIALECTS_ROOMS_LISTENER_PORT", Integer.toString(roomsPort));
        env.put("RELAYMESH_DIALECTS_ROOMS_TLS_CERT_FILE", cert.toString());
        env.put("RELAYMESH_DIALECTS_ROOMS_TLS_KEY_FILE", key.toString());
        env.put("RELAYMESH_DIALECTS_ROOMS_AUTH_REQUIRED", "false");
        env.put("RELAYMESH_DIALECTS_ROOMS_MAX_FRAMES_PER_SECOND", "0");
        env.put("RELAYMESH_DIALECTS_ROOMS_MAX_BYTES_PER_SECOND", "0");
        env.put("RELAYMESH_DIALECTS_ROOMS_MAX_PEERS_PER_TOPIC", "0");
        env.putAll(extra);
        GatewayPod.Setup setup = new GatewayPod.Setup(base.jar(), base.config(), base.javaHome(), base.jvmOptions(),
                base.servers(), base.keys(), base.logDir(), env);
        GatewayPod pod = GatewayPod.start(id, setup, children);
        String ws = pod.wsBase();
        return new Pod(pod, roomsPort, Integer.parseInt(ws.substring(ws.lastIndexOf(':') + 1)));
    }

    /** A self-signed certificate for IP:127.0.0.1 and its key (EC P-256, PEM) in {@code dir}. */
    static Path[] selfSigned(Path dir) throws IOException, InterruptedException {
        Path cert = dir.resolve("rooms-cert.pem");
        Path key = dir.resolve("rooms-key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            openssl.destroyForcibly();
            throw new IOException("openssl failed: " + Files.readString(dir.resolve("openssl.log")));
        }
        return new Path[]{cert, key};
    }

    /** Sockets that trust only {@code cert}. */
    static SSLSocketFactory trusting(Path cert) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            store.setCertificateEntry("rooms", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<String> jvmOptions(String options) {
        return List.of(options.trim().split("\\s+"));
    }
}
