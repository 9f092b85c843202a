package io.relaymesh.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether a Docker engine is reachable (the last resort for a Redis or NATS) and whether
 * Testcontainers is on the classpath to use it. The testkit does not start containers itself: the
 * module has no Testcontainers dependency, so a reachable engine only improves the failure message.
 */
final class DockerEngine {
    private static final String DEFAULT_SOCKET = "/var/run/docker.sock";

    private DockerEngine() {
    }

    /** A sentence about Docker for failure messages. */
    static String explain(Map<String, String> env) {
        String endpoint = env.getOrDefault("DOCKER_HOST", "unix://" + DEFAULT_SOCKET);
        if (!reachable(endpoint)) {
            return "no Docker engine is reachable at " + endpoint + " (Testcontainers cannot help)";
        }
        return testcontainersOnClasspath()
                ? "a Docker engine is reachable at " + endpoint + " and Testcontainers is on the classpath, but this"
                        + " testkit does not start containers: set the address variable to a container you started"
                : "a Docker engine is reachable at " + endpoint + " but Testcontainers is not on the test classpath";
    }

    static boolean reachable(String endpoint) {
        try {
            URI uri = URI.create(endpoint);
            if ("unix".equals(uri.getScheme())) {
                Path socket = Path.of(uri.getPath());
                if (!Files.exists(socket)) {
                    return false;
                }
                try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    return channel.connect(UnixDomainSocketAddress.of(socket));
                }
            }
            if ("tcp".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), Probes.TIMEOUT_MILLIS);
                    return true;
                }
            }
            return false;
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return false;
        }
    }

    private static boolean testcontainersOnClasspath() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, DockerEngine.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
