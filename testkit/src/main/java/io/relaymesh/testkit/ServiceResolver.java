package io.relaymesh.testkit;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Decides where a test's Redis or NATS comes from, in this order: the address in the environment;
 * a server binary started on a free port; (Testcontainers, only explained); else a failure that
 * says how to install the binary. Stateless apart from its inputs, so tests can feed it a fake
 * environment and search path.
 */
final class ServiceResolver {
    static final String REDIS_HINT = "no Redis for tests: set " + RealServices.REDIS_ADDRESS_ENV
            + " or install redis-server (apt-get install -y redis-server)";
    static final String NATS_HINT = "no NATS for tests: set " + RealServices.NATS_URL_ENV
            + " or install nats-server (apt-get install -y nats-server)";
    /** How long a given address may take to answer before the tests fail. */
    private static final Duration EXTERNAL_WAIT = ServerProcess.READY_TIMEOUT;

    private final Map<String, String> env;
    private final Binaries binaries;

    ServiceResolver(Map<String, String> env, Binaries binaries) {
        this.env = Map.copyOf(env);
        this.binaries = binaries;
    }

    static ServiceResolver fromEnvironment() {
        return new ServiceResolver(System.getenv(), Binaries.fromEnvironment());
    }

    /** A Redis; {@code dedicated} insists on a fresh binary-started one even when an address is given. */
    RedisServer redis(boolean dedicated) {
        return redis(dedicated, List.of());
    }

    /** A Redis; {@code extraArguments} (a dedicated one only) come after the defaults, so they win. */
    RedisServer redis(boolean dedicated, List<String> extraArguments) {
        String address = env.get(RealServices.REDIS_ADDRESS_ENV);
        if (!dedicated && address != null && !address.isBlank()) {
            HostPort hostPort = HostPort.parse(RealServices.REDIS_ADDRESS_ENV, address, 6379);
            awaitExternal(RealServices.REDIS_ADDRESS_ENV + "=" + address + " does not answer PING",
                    () -> Probes.redisAnswersPing(hostPort.host(), hostPort.port()));
            return RedisServer.external(hostPort.host(), hostPort.port());
        }
        Optional<Path> binary = binaries.find("redis-server");
        if (binary.isPresent()) {
            ServerProcess process = ServerProcess.launch("redis-server", binary.get(),
                    port -> java.util.stream.Stream.concat(java.util.stream.Stream.of("--port", Integer.toString(port),
                            "--bind", ServerProcess.HOST, "--save", "", "--appendonly", "no", "--dir", ".",
                            "--daemonize", "no"), extraArguments.stream()).toList(),
                    Probes::redisAnswersPing);
            RealServices.track(process);
            return RedisServer.managed(process, !dedicated);
        }
        throw new IllegalStateException(REDIS_HINT + " (" + missingBinary("redis-server", dedicated) + ")");
    }

    /**
     * A dedicated redis-server that speaks only TLS on its port ({@code --port 0}), with the given PEM
     * server certificate, key and CA, clients not asked for a certificate unless {@code extraArguments}
     * say {@code --tls-auth-clients yes}. Ready once its port accepts connections: a plain PING cannot
     * reach it.
     */
    RedisServer redisTls(Path cert, Path key, Path ca, List<String> extraArguments) {
        Path binary = binaries.find("redis-server").orElseThrow(() -> new IllegalStateException(REDIS_HINT
                + " (" + missingBinary("redis-server", true) + ")"));
        ServerProcess process = ServerProcess.launch("redis-server", binary,
                port -> Stream.concat(Stream.of("--port", "0", "--tls-port", Integer.toString(port),
                        "--bind", ServerProcess.HOST, "--save", "", "--appendonly", "no", "--dir", ".",
                        "--daemonize", "no", "--tls-cert-file", cert.toString(), "--tls-key-file", key.toString(),
                        "--tls-ca-cert-file", ca.toString(), "--tls-auth-clients", "no"),
                        extraArguments.stream()).toList(),
                Probes::accepts);
        RealServices.track(process);
        return RedisServer.managed(process, false);
    }

    /** A NATS with JetStream; {@code dedicated} insists on a fresh binary-started one. */
    NatsServer nats(boolean dedicated) {
        return nats(dedicated, List.of());
    }

    /**
     * A NATS with JetStream; {@code dedicated} insists on a fresh binary-started one. {@code extraArguments}
     * (e.g. {@code --user u --pass p}, {@code -c tls.conf}) need a dedicated server: a given URL cannot take them.
     */
    NatsServer nats(boolean dedicated, List<String> extraArguments) {
        if (!extraArguments.isEmpty() && !dedicated) {
            throw new IllegalArgumentException("extra nats-server arguments need a dedicated server");
        }
        String url = env.get(RealServices.NATS_URL_ENV);
        if (!dedicated && url != null && !url.isBlank()) {
            HostPort hostPort = HostPort.parse(RealServices.NATS_URL_ENV, url.split(",")[0], 4222);
            awaitExternal(RealServices.NATS_URL_ENV + "=" + url + " does not accept connections",
                    () -> Probes.accepts(hostPort.host(), hostPort.port()));
            return NatsServer.external(url, hostPort.host(), hostPort.port());
        }
        Optional<Path> binary = binaries.find("nats-server");
        if (binary.isPresent()) {
            // The store folder is the working directory, so a restart finds its streams again.
            ServerProcess process = ServerProcess.launch("nats-server", binary.get(),
                    port -> Stream.concat(Stream.of("-js", "-a", ServerProcess.HOST, "-p", Integer.toString(port),
                            "-sd", "."), extraArguments.stream()).toList(),
                    Probes::natsGreetsWithJetStream);
            RealServices.track(process);
            return NatsServer.managed(process, !dedicated);
        }
        throw new IllegalStateException(NATS_HINT + " (" + missingBinary("nats-server", dedicated) + ")");
    }

    private String missingBinary(String name, boolean dedicated) {
        return (dedicated ? "a dedicated server needs the binary; " : "") + "no executable " + name + " in "
                + binaries.describe() + "; " + DockerEngine.explain(env);
    }

    private static void awaitExternal(String failure, BooleanSupplier ready) {
        long deadline = System.nanoTime() + EXTERNAL_WAIT.toNanos();
        do {
            if (ready.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException(failure + " within " + EXTERNAL_WAIT.toSeconds() + " s");
    }

    /** A host and port parsed from {@code host:port}, {@code scheme://host:port} or {@code host}. */
    record HostPort(String host, int port) {
        static HostPort parse(String variable, String value, int defaultPort) {
            String trimmed = value.trim();
            try {
                URI uri = URI.create(trimmed.contains("://") ? trimmed : "tcp://" + trimmed);
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("no host");
                }
                return new HostPort(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : defaultPort);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(variable + "=" + value + " is not host:port (" + e.getMessage() + ")", e);
            }
        }
    }
}
