package io.relaymesh.adapters.web.ws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every open WebSocket connection of this pod, authenticated or not: enforces the connection cap,
 * pings each connection every ping interval and drops those silent for longer than the pong wait.
 * Helidon does not report a vanished client (no onClose), so this is what frees their sessions.
 * Thread-safe.
 */
public final class ConnectionTracker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ConnectionTracker.class.getName());

    private final Set<WsConnection> connections = ConcurrentHashMap.newKeySet();
    private final Supplier<LivenessSettings> liveness;
    private final int maxConnections;
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong lastRefusalLog =
            new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - TimeUnit.MINUTES.toNanos(1));
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "relaymesh-liveness");
        t.setDaemon(true);
        return t;
    });

    public ConnectionTracker(Supplier<LivenessSettings> liveness, int maxConnections) {
        this.liveness = liveness;
        this.maxConnections = maxConnections;
    }

    /** Starts the liveness ticks (every 250 ms, cheap: a scan of the connection set). */
    public void start() {
        ticker.scheduleWithFixedDelay(this::tick, 250, 250, TimeUnit.MILLISECONDS);
    }

    /** Adds a connection; false when the pod is at its cap (the caller refuses it). */
    public boolean add(WsConnection connection) {
        connections.add(connection);
        if (connections.size() > maxConnections) {
            connections.remove(connection);
            return false;
        }
        return true;
    }

    /** Logs refusals at the cap at most once every 10 s, with the count, so a flood cannot flood the log. */
    public void logRefusal() {
        long refusedNow = refused.incrementAndGet();
        long now = System.nanoTime();
        long last = lastRefusalLog.get();
        if (now - last > TimeUnit.SECONDS.toNanos(10) && lastRefusalLog.compareAndSet(last, now)) {
            LOG.warning(() -> "refusing connections: pod is at its cap of " + maxConnections
                    + " (server.max_connections); " + refusedNow + " refused so far");
        }
    }

    public void remove(WsConnection connection) {
        connections.remove(connection);
    }

    public int size() {
        return connections.size();
    }

    /** Frames queued in every connection's buffer, not yet written (for the buffer-use gauge). */
    public long queuedFrames() {
        long total = 0;
        for (WsConnection connection : connections) {
            total += connection.queued();
        }
        return total;
    }

    /** Bytes of event frames queued or being written, over every connection (for the backlog gauge). */
    public long backlogBytes() {
        long total = 0;
        for (WsConnection connection : connections) {
            total += connection.backlogBytes();
        }
        return total;
    }

    public int maxConnections() {
        return maxConnections;
    }

    /**
     * Closes every connection with {@code code} (1001 on shutdown) and waits, at most until
     * {@code deadlineNanos}, for their close frames to be written; returns how many did not make it.
     * A closed connection leaves this set at once (its clean-up runs on close), so the wait is on
     * the connections themselves, not on the set's size.
     */
    public int closeAll(int code, String reason, long deadlineNanos) {
        List<WsConnection> closing = new ArrayList<>(connections);
        for (WsConnection connection : closing) {
            connection.close(code, reason);
        }
        int unfinished = 0;
        for (WsConnection connection : closing) {
            try {
                if (!connection.awaitFinished(deadlineNanos)) {
                    unfinished++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return closing.size();
            }
        }
        return unfinished;
    }

    void tick() {
        try {
            LivenessSettings s = liveness.get();
            long pongWaitMillis = s.pongWait().toMillis();
            long pingMillis = s.pingInterval().toMillis();
            for (WsConnection connection : connections) {
                long silentMillis = WsConnection.millisSince(connection.lastSeenNanos());
                if (silentMillis > pongWaitMillis) {
                    LOG.info(() -> "connection " + connection.id() + " silent for " + silentMillis
                            + " ms (pong_wait " + pongWaitMillis + " ms); dropping it");
                    connections.remove(connection);
                    connection.terminate("no pong within " + Duration.ofMillis(pongWaitMillis));
                } else if (WsConnection.millisSince(connection.lastPingNanos()) >= pingMillis) {
                    connection.ping();
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "liveness tick failed", e);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
