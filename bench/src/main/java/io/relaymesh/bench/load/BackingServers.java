package io.relaymesh.bench.load;

import io.relaymesh.bench.support.ChildProcesses;
import io.relaymesh.bench.support.Deadline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The redis-server and nats-server -js that both systems of a run share, each on a free loopback
 * port (never 6379 or 4222) with its data in a temporary folder, started as child processes and
 * stopped by their PIDs with the run. Redis keeps nothing on disk (no RDB, no AOF); JetStream stores
 * files under the folder. Not thread-safe: started and closed by the main thread.
 */
public final class BackingServers {
    private final int redisPort;
    private final int natsPort;
    private final Process redis;
    private final Process nats;
    private final Path dir;

    private BackingServers(int redisPort, int natsPort, Process redis, Process nats, Path dir) {
        this.redisPort = redisPort;
        this.natsPort = natsPort;
        this.redis = redis;
        this.nats = nats;
        this.dir = dir;
    }

    public static BackingServers start(ChildProcesses children, Path dir) {
        try {
            Files.createDirectories(dir.resolve("nats"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        int redisPort = freePort();
        Process redis = children.start("redis-server", new ProcessBuilder("redis-server", "--port",
                Integer.toString(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()));
        int natsPort = freePort();
        Process nats = children.start("nats-server", new ProcessBuilder("nats-server", "-js", "-a", "127.0.0.1",
                "-p", Integer.toString(natsPort), "-sd", dir.resolve("nats").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nats.log").toFile()));
        awaitPort(redisPort, "redis-server", redis, dir.resolve("redis.log"));
        awaitPort(natsPort, "nats-server", nats, dir.resolve("nats.log"));
        return new BackingServers(redisPort, natsPort, redis, nats, dir);
    }

    static int freePort() {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (port != 6379 && port != 4222) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port", e);
            }
        }
        throw new IllegalStateException("no free port after 20 tries");
    }

    static void awaitPort(int port, String what, Process process, Path log) {
        Deadline deadline = Deadline.after(Duration.ofSeconds(15));
        while (!deadline.passed()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited with code " + process.exitValue() + "; see " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                deadline.sleep(50);
            }
        }
        throw new IllegalStateException(what + " did not open port " + port + " within 15 s; see " + log);
    }

    public String redisAddress() {
        return "127.0.0.1:" + redisPort;
    }

    public String redisUrl() {
        return "redis://127.0.0.1:" + redisPort;
    }

    public int redisPort() {
        return redisPort;
    }

    public String natsUrl() {
        return "nats://127.0.0.1:" + natsPort;
    }

    public List<Long> pids() {
        return List.of(redis.pid(), nats.pid());
    }

    public long redisPid() {
        return redis.pid();
    }

    public long natsPid() {
        return nats.pid();
    }

    public Path dir() {
        return dir;
    }
}
