package io.relaymesh.adapters.web;

import io.relaymesh.adapters.web.http.HealthState;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Detects a dead listener: when accept() fails (e.g. on the open-file limit) Helidon closes the
 * listening socket for good while the JVM runs on. Every {@code period} this connects to the port;
 * after {@code failuresBeforeDead} refusals in a row it marks the pod unhealthy and runs
 * {@code onDead} (bootstrap exits so the supervisor restarts the pod). Thread-safe.
 */
public final class ListenerWatchdog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ListenerWatchdog.class.getName());

    private final String host;
    private final int port;
    private final Duration period;
    private final int failuresBeforeDead;
    private final HealthState health;
    private final Runnable onDead;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "relaymesh-listener-watchdog");
        t.setDaemon(true);
        return t;
    });
    private int failures;
    private boolean dead;

    public ListenerWatchdog(String host, int port, Duration period, int failuresBeforeDead, HealthState health,
                            Runnable onDead) {
        this.host = host;
        this.port = port;
        this.period = period;
        this.failuresBeforeDead = failuresBeforeDead;
        this.health = health;
        this.onDead = onDead;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::probe, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized void probe() {
        if (dead) {
            return;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            failures = 0;
        } catch (IOException e) {
            failures++;
            LOG.warning("listener probe of " + host + ":" + port + " failed (" + failures + "/" + failuresBeforeDead
                    + "): " + e.getMessage());
            if (failures >= failuresBeforeDead) {
                dead = true;
                String why = "the listener on port " + port + " stopped accepting connections: " + e.getMessage();
                LOG.severe(why + "; this pod can no longer serve clients");
                health.fail(why);
                onDead.run();
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
