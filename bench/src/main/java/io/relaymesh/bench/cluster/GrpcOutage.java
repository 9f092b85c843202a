package io.relaymesh.bench.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.adapters.grpc.GrpcDeliveryServer;
import io.relaymesh.bench.support.Progress;
import io.relaymesh.bootstrap.wiring.ClusterParts;
import io.relaymesh.bootstrap.wiring.GrpcServerHolder;

import java.time.Duration;

/**
 * The fault: one pod stays alive (heartbeat, sockets, consumer) but its pod-to-pod gRPC server is
 * stopped for a while and then started again on the same port, as in ClusterDeliveryIT's refusing
 * peer. Runs on a thread of its own, timed from the first publish; records when it actually
 * stopped and served again. Thread-safe: the times are volatile, written by the outage thread.
 */
final class GrpcOutage {
    private static final int RESTART_ATTEMPTS = 50;
    private static final long RESTART_RETRY_MILLIS = 200;

    private final Pod pod;
    private final long afterMillis;
    private final long forMillis;
    private volatile long stoppingAtMillis = -1;
    private volatile long stoppedAtMillis = -1;
    private volatile long servingAgainAtMillis = -1;
    private volatile String problem;
    private Thread thread;

    GrpcOutage(Pod pod, long afterMillis, long forMillis) {
        this.pod = pod;
        this.afterMillis = afterMillis;
        this.forMillis = forMillis;
    }

    /** Starts the timer: the outage begins {@code afterMillis} after {@code startNanos}. */
    void schedule(long startNanos, Progress progress) {
        thread = Thread.ofVirtual().name("bench-grpc-outage").start(() -> run(startNanos, progress));
    }

    private void run(long startNanos, Progress progress) {
        try {
            sleepUntil(startNanos, afterMillis);
            GrpcServerHolder holder = pod.grpcHolder();
            GrpcDeliveryServer server = holder.current();
            int port = server.port();
            stoppingAtMillis = sinceStart(startNanos);
            server.close();
            stoppedAtMillis = sinceStart(startNanos);
            progress.line("  FAULT: %s's gRPC server (port %d) stopped at +%d ms (close took %d ms)", pod.id(), port,
                    stoppedAtMillis, stoppedAtMillis - stoppingAtMillis);
            sleepUntil(startNanos, stoppingAtMillis + forMillis);
            ClusterParts parts = pod.parts();
            for (int attempt = 1; attempt <= RESTART_ATTEMPTS; attempt++) {
                try {
                    holder.set(parts.startGrpcServer(port));
                    servingAgainAtMillis = sinceStart(startNanos);
                    progress.line("  FAULT over: %s's gRPC server serves again on port %d at +%d ms", pod.id(), port,
                            servingAgainAtMillis);
                    return;
                } catch (RuntimeException e) {
                    problem = "restart attempt " + attempt + ": " + e.getMessage();
                    Thread.sleep(RESTART_RETRY_MILLIS);
                }
            }
            progress.line("  PROBLEM: %s's gRPC server could not be started again: %s", pod.id(), problem);
        } catch (InterruptedException e) {
            problem = "interrupted";
        } catch (RuntimeException e) {
            problem = e.toString();
            progress.line("  PROBLEM: outage failed: %s", e);
        }
    }

    /** Waits for the outage to be over (bounded). */
    void await(long millis) throws InterruptedException {
        if (thread != null && !thread.join(Duration.ofMillis(millis))) {
            problem = "outage thread still running after " + millis + " ms";
        }
    }

    ObjectNode toJson(ObjectNode node) {
        node.put("pod", pod.id());
        node.put("planned_after_ms", afterMillis);
        node.put("planned_for_ms", forMillis);
        node.put("stopping_at_ms", stoppingAtMillis);
        node.put("stopped_at_ms", stoppedAtMillis);
        node.put("serving_again_at_ms", servingAgainAtMillis);
        node.put("refusing_ms", servingAgainAtMillis < 0 ? -1 : servingAgainAtMillis - stoppingAtMillis);
        if (problem != null) {
            node.put("problem", problem);
        }
        return node;
    }

    String describe() {
        return pod.id() + "'s gRPC server down from +" + stoppingAtMillis + " ms to +" + servingAgainAtMillis + " ms";
    }

    private static long sinceStart(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void sleepUntil(long startNanos, long offsetMillis) throws InterruptedException {
        long wait = offsetMillis - sinceStart(startNanos);
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }
}
