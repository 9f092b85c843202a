package io.relaymesh.testkit;

import java.util.Objects;

/**
 * A NATS server with JetStream for tests: either given by {@code TEST_NATS_URL} (external: it
 * cannot be stopped from here) or a {@code nats-server -js} started by {@link RealServices}
 * (managed: {@link #stop()} and {@link #start()} restart it on the same port and store folder, so
 * JetStream streams survive the restart). Thread-safe.
 */
public final class NatsServer {
    private final String url;
    private final String host;
    private final int port;
    private final ServerProcess process;
    private final boolean shared;

    private NatsServer(String url, String host, int port, ServerProcess process, boolean shared) {
        this.url = Objects.requireNonNull(url, "url");
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.process = process;
        this.shared = shared;
    }

    static NatsServer external(String url, String host, int port) {
        return new NatsServer(url, host, port, null, true);
    }

    static NatsServer managed(ServerProcess process, boolean shared) {
        return new NatsServer("nats://" + ServerProcess.HOST + ":" + process.port(), ServerProcess.HOST, process.port(),
                process, shared);
    }

    /** The URL to give a NATS client, e.g. {@code nats://127.0.0.1:42113}. */
    public String url() {
        return url;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** Whether this server was started here and so may be stopped and started again. */
    public boolean isManaged() {
        return process != null;
    }

    /** Whether it accepts connections and greets with JetStream enabled right now. */
    public boolean isReady() {
        return Probes.natsGreetsWithJetStream(host, port);
    }

    /** Stops a managed server (by its PID). Idempotent. */
    public void stop() {
        requireManaged("stop").stop();
    }

    /** Starts a stopped managed server on the same port and store folder; returns once it is ready. Idempotent. */
    public void start() {
        requireManaged("start").start();
    }

    /** Stops a dedicated server (from {@link RealServices#newNats()}) for good and deletes its folder. */
    public void close() {
        if (shared) {
            throw new IllegalStateException("the shared NATS at " + url + " is stopped by RealServices at the end of the"
                    + " run; only a server from RealServices.newNats() is closed by its test");
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
            throw new UnsupportedOperationException("cannot " + action + " the NATS at " + url + ": it was given by "
                    + RealServices.NATS_URL_ENV + "; only a nats-server started by RealServices can be stopped and"
                    + " restarted (unset " + RealServices.NATS_URL_ENV + " or use RealServices.newNats())");
        }
        return process;
    }

    @Override
    public String toString() {
        return "NATS at " + url + (process == null ? " (external)" : " (nats-server in " + process.dir() + ")");
    }
}
