package io.relaymesh.application.fakes;

import io.relaymesh.adapters.memory.InMemoryKillSwitch;
import io.relaymesh.adapters.memory.InMemoryPodDirectory;
import io.relaymesh.adapters.memory.InMemoryPodStatsBoard;
import io.relaymesh.adapters.memory.InMemoryRouteRegistry;
import io.relaymesh.adapters.memory.InMemorySessionLocks;
import io.relaymesh.application.auth.ApiKeys;
import io.relaymesh.application.settings.GatewaySettings;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.SessionLocks;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The shared state of a cluster (what Redis holds in production: locks, routes, pod directory, kill
 * switch, stats board) on in-memory adapters with a manual clock, plus a factory of pods that share it. Close it
 * after each test to stop the kill switch's threads.
 */
public final class Cluster implements AutoCloseable {
    public static final String GENERAL_KEY = "general-key";
    public static final String ADMIN_KEY = "admin-key";

    public final ManualClock clock = new ManualClock();
    public final Settings<GatewaySettings> settings = new Settings<>(GatewaySettings.defaults());
    public final ApiKeys apiKeys = new ApiKeys(GENERAL_KEY, ADMIN_KEY);
    public final FakeTokenCodec codec = new FakeTokenCodec();
    public final RecordingTokenCache tokenCache = new RecordingTokenCache(clock);
    public final InMemorySessionLocks memoryLocks = new InMemorySessionLocks(clock);
    /** The locks the pods use: {@link #memoryLocks}, possibly wrapped by a test. */
    public final SessionLocks locks;
    public final InMemoryRouteRegistry routes = new InMemoryRouteRegistry(clock);
    public final InMemoryPodDirectory pods = new InMemoryPodDirectory(clock);
    public final InMemoryKillSwitch killSwitch = new InMemoryKillSwitch();
    public final InMemoryPodStatsBoard statsBoard = new InMemoryPodStatsBoard(clock);
    private final AtomicInteger connections = new AtomicInteger();

    public Cluster() {
        this(locks -> locks);
    }

    /** A cluster whose pods see the session locks through {@code wrapLocks} (to intercept calls). */
    public Cluster(UnaryOperator<SessionLocks> wrapLocks) {
        this.locks = wrapLocks.apply(memoryLocks);
    }

    /** A pod on this cluster, announced as live in the pod directory. */
    public Pod pod(String id) {
        PodId podId = new PodId(id);
        pods.heartbeat(podId, id + ":9090", Duration.ofMinutes(5));
        return new Pod(podId, this);
    }

    /** A fresh client connection with a cluster-unique id. */
    public RecordingConnection connection() {
        return new RecordingConnection("conn-" + connections.incrementAndGet());
    }

    /** Replaces the settings, like a hot reload. */
    public void configure(UnaryOperator<GatewaySettings> change) {
        settings.set(change.apply(settings.get()));
    }

    @Override
    public void close() {
        killSwitch.close();
    }
}
