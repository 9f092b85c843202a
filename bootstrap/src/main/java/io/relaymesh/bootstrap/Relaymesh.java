package io.relaymesh.bootstrap;

import io.relaymesh.adapters.web.ListenerWatchdog;
import io.relaymesh.adapters.web.metrics.DependencyMonitor;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.bootstrap.wiring.DaggerClusterComponent;
import io.relaymesh.bootstrap.wiring.DaggerStandaloneComponent;
import io.relaymesh.bootstrap.wiring.RelaymeshComponent;
import io.relaymesh.bootstrap.config.GeneratedSecrets;
import io.relaymesh.bootstrap.wiring.RuntimeFacts;
import io.relaymesh.domain.model.PodId;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: starts the listener, the refresh loop, the stats loop and the kill-switch
 * listener; closes them in reverse order (stop accepting, close sockets with 1001, release locks and routes).
 * Thread-safe: close may be called from a shutdown hook while main waits.
 */
public final class Relaymesh implements AutoCloseable {
    // SLF4J, not java.util.logging: JUL resets its handlers in its own shutdown hook, which
    // would swallow the lines logged while we shut down.
    private static final Logger LOG = LoggerFactory.getLogger(Relaymesh.class);

    private final RelaymeshComponent component;
    private final ListenerWatchdog watchdog;
    private final KillListener killListener;
    private final Thread refresher;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ClusterNode cluster;
    private final StatsLoop stats;
    private final Periodic dependencies;
    private final java.util.List<ListenerWatchdog> dedicatedWatchdogs = new java.util.ArrayList<>();
    private volatile boolean closed;
    private final int port;
    /** How often the readiness checks run for {@code relaymesh_dependency_up}. */
    static final Duration DEPENDENCY_CHECK_INTERVAL = Duration.ofSeconds(2);

    private Relaymesh(RelaymeshComponent component, Runnable onListenerDead) {
        this.component = component;
        RelaymeshConfig config = component.config();
        PodId self = component.facts().podId();
        if (config.standalone()) {
            // The in-memory directory only ever knows this pod.
            component.podDirectory().heartbeat(self, config.server().grpcAdvertiseAddress(), Duration.ofDays(3650));
            this.cluster = null;
        } else {
            this.cluster = ClusterNode.start(component);
        }
        this.killListener = new KillListener(component.killSwitch(), self, component.sessionManager()::onKillRequest);
        this.port = component.webEdge().start();
        if (cluster != null) {
            cluster.consume();
        }
        String probeHost = config.server().host().equals("0.0.0.0") || config.server().host().equals("::")
                ? "127.0.0.1" : config.server().host();
        this.watchdog = new ListenerWatchdog(probeHost, port, Duration.ofSeconds(5), 2, component.health(),
                onListenerDead);
        watchdog.start();
        // The dialects' own listeners can die the same way (accept() failing on the file limit).
        for (int dedicated : component.webEdge().dedicatedPorts().values()) {
            ListenerWatchdog extra = new ListenerWatchdog(probeHost, dedicated, Duration.ofSeconds(5), 2,
                    component.health(), onListenerDead);
            extra.start();
            dedicatedWatchdogs.add(extra);
        }
        this.refresher = Thread.ofVirtual().name("relaymesh-refresh").start(this::refreshLoop);
        ClusterNode node = cluster;
        this.stats = new StatsLoop(component.statsReporter(), node == null ? () -> "" : node::advertised);
        DependencyMonitor monitor = component.dependencies();
        this.dependencies = Periodic.every("relaymesh-dependency-monitor", DEPENDENCY_CHECK_INTERVAL, monitor::refresh);
    }

    /** Wires and starts a gateway for {@code config}, whose keys were all configured. */
    public static Relaymesh start(RelaymeshConfig config, Runnable onListenerDead) {
        return start(config, GeneratedSecrets.none(), onListenerDead);
    }

    /** Wires and starts a gateway for {@code config}, some of whose keys were {@code generated} for this run. */
    public static Relaymesh start(RelaymeshConfig config, GeneratedSecrets generated, Runnable onListenerDead) {
        PodId pod = new PodId(config.server().podId());
        RuntimeFacts facts = new RuntimeFacts(pod, openFileLimit(), onListenerDead, generated);
        RelaymeshComponent component = config.standalone()
                ? DaggerStandaloneComponent.builder().config(config).facts(facts).build()
                : DaggerClusterComponent.builder().config(config).facts(facts).build();
        return new Relaymesh(component, onListenerDead);
    }

    /**
     * Starts a gateway from an already built component: a test's component may add modules (a
     * dialect registered only in tests, say) to the production ones.
     */
    public static Relaymesh start(RelaymeshComponent component, Runnable onListenerDead) {
        return new Relaymesh(component, onListenerDead);
    }

    /** The process's open-file limit, or -1 when the JVM cannot tell. */
    static long openFileLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    public int port() {
        return port;
    }

    public RelaymeshComponent component() {
        return component;
    }

    private void refreshLoop() {
        while (!closed) {
            try {
                // The live settings, not the start-up config: a reload may change the interval.
                Thread.sleep(Math.max(100, component.gatewaySettings().get().refreshInterval().toMillis()));
                if (!closed) {
                    component.gateway().refresh();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("refresh tick failed; retrying next tick", e);
            }
        }
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long start = System.nanoTime();
        if (cluster != null) {
            // No new events first; those in flight settle (or are redelivered to another pod).
            cluster.stopConsuming();
        }
        dependencies.close();
        watchdog.close();
        dedicatedWatchdogs.forEach(ListenerWatchdog::close);
        stats.close();
        refresher.interrupt();
        killListener.close();
        // Stops accepting, closes sockets with 1001; each close releases its lock and routes.
        component.webEdge().close();
        if (cluster != null) {
            cluster.close();
        } else {
            component.podDirectory().remove(component.facts().podId());
        }
        LOG.info("stopped in " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
        stopped.countDown();
    }
}
