package io.relaymesh.adapters.grpc;

import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.domain.port.PodForwarder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Forwards events to other pods over gRPC. Each peer has its own lane: one channel (rebuilt when
 * the pod directory moves the peer, closed when idle), a queue that coalesces concurrent forwards
 * into batched Deliver calls, its own sending thread, retry policy and circuit breaker. So a slow
 * or dead peer only ever delays forwards to itself.
 *
 * <p>A forward fails with {@link PortUnavailableException} at once when the peer has no live
 * address, its circuit is open or its queue is full; after the retries when the peer cannot be
 * reached; and in any case once {@link GrpcSettings#maxForwardTime()} has passed. A retry resends
 * only the events the peer has not accepted yet. The returned futures complete on a fresh virtual
 * thread, so callers' continuations never run on, or stall, a peer's sending thread.
 *
 * <p>Thread-safe: {@link #forward} may be called from any number of threads, concurrently with
 * {@link #close}.
 */
public final class GrpcPodForwarder implements PodForwarder, AutoCloseable {
    private final PodDirectory directory;
    private final PodId self;
    private final GrpcSettings settings;
    private final ForwarderListener listener;
    private final PeerCredentials credentials;
    private final ConcurrentHashMap<PodId, PeerLane> lanes = new ConcurrentHashMap<>();
    /** Fails forwards that outlive their bound, and closes idle lanes. */
    private final ScheduledThreadPoolExecutor timer;
    private volatile boolean closed;

    /**
     * @param directory where the peers are; looked up for each batch
     * @param self      this pod, sent as {@code from_pod_id}
     * @param listener  metrics and logging hooks ({@link ForwarderListener#NOOP} for none)
     */
    public GrpcPodForwarder(PodDirectory directory, PodId self, GrpcSettings settings, ForwarderListener listener) {
        this(directory, self, settings, listener, PodSecurity.none());
    }

    /**
     * @param security how this pod proves to its peers that it belongs to the cluster
     * @throws io.relaymesh.domain.error.PortUnavailableException when the TLS files cannot be read
     */
    public GrpcPodForwarder(PodDirectory directory, PodId self, GrpcSettings settings, ForwarderListener listener,
                            PodSecurity security) {
        this.credentials = new PeerCredentials(Objects.requireNonNull(security, "security"));
        this.directory = Objects.requireNonNull(directory, "directory");
        this.self = Objects.requireNonNull(self, "self");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = new GuardedListener(Objects.requireNonNull(listener, "listener"));
        this.timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("relaymesh-grpc-timer")
                .factory());
        timer.setRemoveOnCancelPolicy(true);
        long sweep = Math.clamp(settings.channelIdleTimeout().toMillis() / 2, 10, 30_000);
        timer.scheduleWithFixedDelay(this::retireIdleLanes, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Set<String>> forward(PodId pod, List<Envelope> events) {
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(Set.of());
        }
        List<PendingForward> chunks = chunks(events);
        while (true) {
            if (closed) {
                return rejected(pod, "the forwarder is closed");
            }
            PeerLane lane = lanes.computeIfAbsent(pod, this::newLane);
            if (lane.circuitRejects()) {
                return rejected(pod, "the circuit of pod " + pod + " is open");
            }
            switch (lane.offer(chunks, events.size())) {
                case QUEUED -> {
                    if (closed) {
                        lane.shutdown(); // raced with close(): fail what was just queued
                    }
                    chunks.forEach(chunk -> bound(pod, chunk));
                    return combine(chunks);
                }
                case FULL -> {
                    return rejected(pod, "pod " + pod + " has more than " + settings.maxQueuedEventsPerPeer()
                            + " events queued");
                }
                case RETIRED -> lanes.remove(pod, lane); // closed for idleness just now: take a fresh one
            }
        }
    }

    /**
     * {@code events} in chunks of at most {@code maxBatchEvents} events and
     * {@link GrpcDeliveryServer#MAX_BATCH_BYTES} bytes (an event larger than that goes alone).
     */
    private List<PendingForward> chunks(List<Envelope> events) {
        int max = settings.maxBatchEvents();
        List<PendingForward> chunks = new ArrayList<>();
        int from = 0;
        long bytes = 0;
        for (int i = 0; i < events.size(); i++) {
            long size = PendingForward.bytesOf(events.get(i));
            if (i > from && (i - from == max || bytes + size > GrpcDeliveryServer.MAX_BATCH_BYTES)) {
                chunks.add(new PendingForward(events.subList(from, i)));
                from = i;
                bytes = 0;
            }
            bytes += size;
        }
        chunks.add(new PendingForward(events.subList(from, events.size())));
        return chunks;
    }

    /** Stops forwarding: fails queued forwards, closes every channel within the close timeout. */
    @Override
    public void close() {
        closed = true;
        List<PeerLane> all = new ArrayList<>(lanes.values());
        lanes.clear();
        all.forEach(PeerLane::shutdown);
        long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        for (PeerLane lane : all) {
            lane.awaitClosed(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        timer.shutdownNow();
        credentials.close();
    }

    /** Peers that currently have an open channel. */
    int openChannels() {
        return (int) lanes.values().stream().filter(PeerLane::channelOpen).count();
    }

    private PeerLane newLane(PodId peer) {
        PeerLane lane = new PeerLane(peer, settings, new PeerSender(peer, self, directory, settings, listener,
                credentials));
        listener.peerAdded(peer);
        return lane;
    }

    private CompletableFuture<Set<String>> rejected(PodId pod, String why) {
        PortUnavailableException failure = new PortUnavailableException("grpc", why, null);
        listener.batchFailed(pod, failure);
        return CompletableFuture.failedFuture(failure);
    }

    /** Fails {@code forward} if it is still pending after the longest a forward may take. */
    private void bound(PodId pod, PendingForward forward) {
        long limit = settings.maxForwardTime().toMillis();
        try {
            ScheduledFuture<?> timeout = timer.schedule(() -> {
                PortUnavailableException failure = new PortUnavailableException("grpc", "forward of "
                        + forward.size() + " events to pod " + pod + " not answered within " + limit + " ms",
                        new TimeoutException());
                if (forward.future().completeExceptionally(failure)) {
                    listener.batchFailed(pod, failure);
                }
            }, limit, TimeUnit.MILLISECONDS);
            forward.future().whenComplete((ids, error) -> timeout.cancel(false));
        } catch (RejectedExecutionException e) {
            // The timer stops only when closing, which fails or finishes every forward itself.
        }
    }

    /**
     * The caller's future: the union of the chunks' accepted ids, or the first chunk failure. It
     * completes on a fresh virtual thread, so the caller's continuations never run on (and never
     * stall) a peer's sending thread.
     */
    private CompletableFuture<Set<String>> combine(List<PendingForward> chunks) {
        CompletableFuture<Set<String>> result = new CompletableFuture<>();
        CompletableFuture<?>[] futures = chunks.stream().map(PendingForward::future).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(futures).whenComplete((ignored, error) -> Thread.startVirtualThread(() -> {
            Set<String> accepted = new HashSet<>();
            for (PendingForward chunk : chunks) {
                CompletableFuture<Set<String>> future = chunk.future();
                if (future.isCompletedExceptionally()) {
                    result.completeExceptionally(future.exceptionNow());
                    return;
                }
                accepted.addAll(future.join());
            }
            result.complete(Set.copyOf(accepted));
        }));
        return result;
    }

    private void retireIdleLanes() {
        lanes.forEach((peer, lane) -> {
            if (lane.retireIfIdle(settings.channelIdleTimeout())) {
                lanes.remove(peer, lane);
            }
        });
    }
}
