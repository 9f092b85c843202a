package io.relaymesh.bootstrap;

import io.micrometer.core.instrument.Gauge;
import io.relaymesh.adapters.grpc.GrpcDeliveryServer;
import io.relaymesh.adapters.web.LogContext;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.bootstrap.wiring.ClusterParts;
import io.relaymesh.bootstrap.wiring.RelaymeshComponent;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.PodDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * What a pod does only in cluster mode: serves pod-to-pod deliveries over gRPC, announces itself
 * in the pod directory every second (an entry lives 5 s, so a crashed pod's routes stop counting
 * within seconds), keeps a warm stream to every other pod in the directory, and consumes
 * JetStream events. Stops in reverse order.
 */
final class ClusterNode implements AutoCloseable {
    // SLF4J: these lines are logged during shutdown, when java.util.logging is already reset.
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final Duration POD_TTL = Duration.ofSeconds(5);
    /** How often the consumers' backlog is read for the metrics. */
    static final Duration BACKLOG_INTERVAL = Duration.ofSeconds(5);
    /**
     * How often the forwarder's streams are brought in line with the pod directory: the rate at
     * which the cached directory refreshes, so a pod that joins gets its streams within a second.
     */
    static final Duration PEER_SYNC_INTERVAL = Duration.ofMillis(500);

    private final RelaymeshComponent component;
    private final ClusterParts parts;
    private final GrpcDeliveryServer grpc;
    private final String advertised;
    private final Thread heartbeat;
    private final Periodic backlog;
    private final Periodic peers;
    private volatile boolean closed;
    private volatile boolean heartbeatFailing;
    /** Pods with a live heartbeat, as of the last beat; NaN when the directory could not be read. */
    private volatile double livePods = Double.NaN;

    private ClusterNode(RelaymeshComponent component) {
        this.component = component;
        this.parts = component.cluster().get();
        RelaymeshConfig config = component.config();
        // The stream must exist before the HTTP API accepts a publish; consumers before consuming.
        for (var provisioned : parts.streams().provision()) {
            LOG.info("JetStream stream {} ({} subjects) and consumers {} ready", provisioned.stream().getConfiguration()
                    .getName(), provisioned.stream().getConfiguration().getSubjects(), provisioned.consumers().keySet());
        }
        this.grpc = parts.startGrpcServer(config.server().grpcPort());
        component.grpcServer().set(grpc);
        String configured = config.server().grpcAdvertiseAddress();
        // With grpc_port 0 (tests) the advertised port is the one actually bound.
        this.advertised = config.server().grpcPort() == 0
                ? configured.substring(0, configured.lastIndexOf(':') + 1) + grpc.port() : configured;
        Gauge.builder("relaymesh_cluster_pods", this, node -> node.livePods)
                .description("Pods with a live heartbeat in the pod directory, as this pod last read it")
                .register(component.meterRegistry());
        beat();
        // Streams to the pods already there open now, before this pod takes any event or socket.
        this.peers = Periodic.every("relaymesh-grpc-peers", PEER_SYNC_INTERVAL, this::syncPeers);
        this.backlog = Periodic.every("relaymesh-jetstream-backlog", BACKLOG_INTERVAL, parts.backlog()::refresh);
        this.heartbeat = Thread.ofVirtual().name("relaymesh-heartbeat").start(this::heartbeatLoop);
        LOG.info("cluster: pod_id={} serving gRPC on port {}, advertised as {}", component.facts().podId(),
                grpc.port(), advertised);
    }

    static ClusterNode start(RelaymeshComponent component) {
        return new ClusterNode(component);
    }

    /** Where other pods reach this one over gRPC (the bound port when configured as 0). */
    String advertised() {
        return advertised;
    }

    /**
     * Starts consuming events; called once the web edge accepts connections. Each event is handled
     * with its {@code event_id} and {@code route_key} in the log context.
     */
    void consume() {
        parts.streams().start(inbound -> {
            try (LogContext ignored = LogContext.forEvent(inbound.envelope())) {
                // A dialect may keep what backends send (a mailbox stores it) before it is delivered.
                var taken = component.intakes().take(inbound, component.config().nats().nakDelay());
                if (taken != null) {
                    parts.delivery().handle(taken);
                }
            }
        });
    }

    private void syncPeers() {
        try {
            parts.forwarder().syncPeers();
        } catch (RuntimeException e) {
            LOG.warn("syncing the streams to other pods failed; retrying in {} ms", PEER_SYNC_INTERVAL.toMillis(), e);
        }
    }

    private void heartbeatLoop() {
        while (!closed) {
            try {
                Thread.sleep(HEARTBEAT.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) {
                beat();
            }
        }
    }

    private void beat() {
        PodDirectory pods = component.podDirectory();
        PodId self = component.facts().podId();
        try {
            pods.heartbeat(self, advertised, POD_TTL);
            // Read here, once a second, so that a scrape never waits on Redis.
            livePods = pods.livePods().size();
            if (heartbeatFailing) {
                heartbeatFailing = false;
                LOG.info("pod directory heartbeat works again");
            }
        } catch (RuntimeException e) {
            livePods = Double.NaN;
            if (!heartbeatFailing) {
                heartbeatFailing = true;
                LOG.warn("pod directory heartbeat failed (other pods will stop forwarding here): {}", e.getMessage());
            }
        }
    }

    /** Stops taking events from the stream (first step of a shutdown: in-flight ones settle). */
    void stopConsuming() {
        try {
            parts.streams().close();
        } catch (RuntimeException e) {
            LOG.warn("closing the event source failed", e);
        }
    }

    /** Leaves the cluster: after the sockets are closed (their locks and routes released). */
    @Override
    public void close() {
        closed = true;
        heartbeat.interrupt();
        stopConsuming();
        backlog.close();
        peers.close();
        quietly("pod directory removal", () -> component.podDirectory().remove(component.facts().podId()));
        quietly("gRPC server", grpc::close);
        quietly("gRPC forwarder", parts.forwarder()::close);
        quietly("kill switch", parts.killSwitch()::close);
        quietly("NATS", parts.nats()::close);
        quietly("Redis", parts.redis()::close);
    }

    private static void quietly(String what, ThrowingRunnable action) {
        try {
            action.run();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", what, e.getMessage());
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
