package io.relaymesh.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives tests a real Redis and a real NATS JetStream. Register it with
 * {@code @ExtendWith(RealServices.class)} (or {@code @RegisterExtension}); then declare a
 * {@link RedisServer} or {@link NatsServer} parameter, or call {@link #redis()} / {@link #nats()}.
 *
 * <p>Where a server comes from, in order: {@value #REDIS_ADDRESS_ENV} ({@code host:port}) or
 * {@value #NATS_URL_ENV} when set; else {@code redis-server} / {@code nats-server -js} found on
 * PATH (or in /usr/sbin, /usr/bin), started on a free loopback port in a temporary folder; else
 * the test fails (never skips) with a message saying how to install the binary. Testcontainers is
 * not used: the message only says whether a Docker engine was reachable.
 *
 * <p>The shared servers start on first use and serve every test of the JVM; they are stopped by
 * their PID when the JUnit run ends (root-context store) and, as a backstop, by a JVM shutdown
 * hook. Tests that stop or restart a server can take a dedicated one from {@link #newRedis()} /
 * {@link #newNats()} so other test classes never see the outage. Thread-safe.
 */
public final class RealServices implements BeforeAllCallback, ParameterResolver {
    /** Environment variable with the {@code host:port} of a Redis to use instead of starting one. */
    public static final String REDIS_ADDRESS_ENV = "TEST_REDIS_ADDRESS";
    /** Environment variable with the URL of a NATS (JetStream enabled) to use instead of starting one. */
    public static final String NATS_URL_ENV = "TEST_NATS_URL";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealServices.class);
    private static final Set<ServerProcess> LAUNCHED = ConcurrentHashMap.newKeySet();
    private static final Object LOCK = new Object();
    private static RedisServer sharedRedis;
    private static NatsServer sharedNats;
    private static boolean hookInstalled;

    /** The Redis shared by all tests of this JVM, started on first use. */
    public static RedisServer redis() {
        synchronized (LOCK) {
            if (sharedRedis == null) {
                sharedRedis = ServiceResolver.fromEnvironment().redis(false);
            }
            return sharedRedis;
        }
    }

    /** The NATS JetStream shared by all tests of this JVM, started on first use. */
    public static NatsServer nats() {
        synchronized (LOCK) {
            if (sharedNats == null) {
                sharedNats = ServiceResolver.fromEnvironment().nats(false);
            }
            return sharedNats;
        }
    }

    /**
     * A Redis of the caller's own, always a {@code redis-server} started here (even when
     * {@value #REDIS_ADDRESS_ENV} is set), so it can be stopped and restarted freely. Close it when
     * done; the end of the run stops it otherwise.
     */
    public static RedisServer newRedis() {
        return ServiceResolver.fromEnvironment().redis(true);
    }

    /**
     * A Redis of the caller's own started with extra redis-server arguments, which win over the
     * defaults (e.g. {@code --appendonly yes --appendfsync always} for a Redis whose data survives
     * {@link RedisServer#stop()} and {@link RedisServer#start()}).
     */
    public static RedisServer newRedis(String... extraArguments) {
        return ServiceResolver.fromEnvironment().redis(true, List.of(extraArguments));
    }

    /** A NATS JetStream of the caller's own, like {@link #newRedis()}. */
    public static NatsServer newNats() {
        return ServiceResolver.fromEnvironment().nats(true);
    }

    /**
     * A NATS JetStream of the caller's own started with extra nats-server arguments, e.g.
     * {@code --user u --pass p} or {@code -c server.conf} (relative paths from the server's folder:
     * pass absolute ones). Its {@link NatsServer#url()} carries no credentials.
     */
    public static NatsServer newNats(String... extraArguments) {
        return ServiceResolver.fromEnvironment().nats(true, List.of(extraArguments));
    }

    /**
     * A Redis of the caller's own that accepts only TLS: {@code redis-server --port 0 --tls-port …}
     * with the given PEM server certificate, key and CA (absolute paths), plus {@code extraArguments}
     * (e.g. {@code --user alice on >password ~* &* +@all}). Its {@link RedisServer#answersPing()} is
     * false: that probe speaks plain RESP. Close it when done.
     */
    public static RedisServer newTlsRedis(Path cert, Path key, Path ca, String... extraArguments) {
        return ServiceResolver.fromEnvironment().redisTls(cert, key, ca, List.of(extraArguments));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        registerCleanup(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == RedisServer.class || type == NatsServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        registerCleanup(extensionContext);
        return parameterContext.getParameter().getType() == RedisServer.class ? redis() : nats();
    }

    /** Records a launched process so the end of the run or the JVM stops it. */
    static void track(ServerProcess process) {
        synchronized (LOCK) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(RealServices::stopAll, "relaymesh-testkit-shutdown"));
                hookInstalled = true;
            }
        }
        LAUNCHED.add(process);
    }

    /** Stops every server started here, shared or dedicated; the next use starts fresh ones. */
    static void stopAll() {
        synchronized (LOCK) {
            sharedRedis = null;
            sharedNats = null;
        }
        for (ServerProcess process : LAUNCHED) {
            process.close();
            LAUNCHED.remove(process);
        }
    }

    private static void registerCleanup(ExtensionContext context) {
        // The root store outlives every test class and closes its AutoCloseable values when the run ends.
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(RunCleanup.class, key -> new RunCleanup(),
                RunCleanup.class);
    }

    /** Stops the servers when the JUnit run ends. */
    private static final class RunCleanup implements AutoCloseable {
        @Override
        public void close() {
            stopAll();
        }
    }
}
