package io.relaymesh.testkit;

import java.util.Objects;

/**
 * A Redis for tests: either given by {@code TEST_REDIS_ADDRESS} (external: it cannot be stopped
 * from here) or a {@code redis-server} started by {@link RealServices} (managed: {@link #stop()} and
 * {@link #start()} restart it on the same port and folder, e.g. to test what clients do while
 * Redis is down). A managed server keeps no data across a restart ({@code --save ""}).
 * Thread-safe.
 */
public final class RedisServer {
    private final String host;
    private final int port;
    private final ServerProcess process;
    private final boolean shared;

    private RedisServer(String host, int port, ServerProcess process, boolean shared) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.process = process;
        this.shared = shared;
    }

    static RedisServer external(String host, int port) {
        return new RedisServer(host, port, null, true);
    }

    static RedisServer managed(ServerProcess process, boolean shared) {
        return new RedisServer(ServerProcess.HOST, process.port(), process, shared);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** {@code host:port}. */
    public String address() {
        return host + ":" + port;
    }

    /** Whether this server was started here and so may be stopped and started again. */
    public boolean isManaged() {
        return process != null;
    }

    /** Whether it answers PING right now. */
    public boolean answersPing() {
        return Probes.redisAnswersPing(host, port);
    }

    /** Stops a managed server (by its PID); clients then get connection refused on its port. Idempotent. */
    public void stop() {
        requireManaged("stop").stop();
    }

    /** Starts a stopped managed server on the same port and folder; returns once it answers PING. Idempotent. */
    public void start() {
        requireManaged("start").start();
    }

    /**
     * Stops a dedicated server (from {@link RealServices#newRedis()}) for good and deletes its folder.
     * The shared server is stopped by {@link RealServices} at the end of the run instead.
     */
    public void close() {
        if (shared) {
            throw new IllegalStateException("the shared Redis at " + address() + " is stopped by RealServices at the end"
                    + " of the run; only a server from RealServices.newRedis() is closed by its test");
        }
        requireManaged("close").close();
    }

    /** The last lines of a managed server's log, for failure messages; empty for an external one. */
    public String logTail() {
        return process == null ? "" : process.logTail();
    }

    void closeShared() {
        if (process != null) {
            process.close();
        }
    }

    private ServerProcess requireManaged(String action) {
        if (process == null) {
            throw new UnsupportedOperationException("cannot " + action + " the Redis at " + address() + ": it was given by "
                    + RealServices.REDIS_ADDRESS_ENV + "; only a redis-server started by RealServices can be stopped"
                    + " and restarted (unset " + RealServices.REDIS_ADDRESS_ENV + " or use RealServices.newRedis())");
        }
        return process;
    }

    @Override
    public String toString() {
        return "Redis at " + address() + (process == null ? " (external)" : " (redis-server in " + process.dir() + ")");
    }
}
