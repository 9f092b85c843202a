package io.relaymesh.adapters.grpc;

import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.domain.port.PodForwarder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Forwards events to other pods over one long-lived gRPC stream per peer. Each peer has its own
 * {@link PeerLane}: a channel and stream, a queue that coalesces concurrent forwards into batches,
 * its own thread, retry policy and circuit breaker. So a slow or dead peer only ever delays
 * forwards to itself.
 *
 * <p>Streams are warm: {@link #syncPeers()}, called periodically, opens a stream to every peer
 * in the pod directory before any event is forwarded to it, replaces the stream of a peer that
 * moved and closes the lane of a peer that left; {@link #peerReachedUs} does the same at once for
 * a peer that opened its own stream to this pod (a pod that just joined). Lanes of peers in the
 * directory are never retired for idleness; others are after {@code channelIdleTimeout}.
 *
 * <p>A forward fails with {@link PortUnavailableException} at once when the peer's circuit is open
 * or its queue is full; once its events cannot be sent (no live address, a refusal, retries
 * exhausted); and in any case once {@link GrpcSettings#maxForwardTime()} has passed. A retry
 * resends only the events the peer has not accepted yet. The returned futures complete on a fresh
 * virtual thread, so callers' continuations never run on, or stall, a transport or lane thread.
 *
 * <p>Thread-safe: {@link #forward}, {@link #syncPeers} and {@link #peerReachedUs} may be called
 * from any number of threads, concurrently with {@link #close}.
 */
public final class GrpcPodForwarder implements PodForwarder, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcPodForwarder.class);

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
     * @param directory where the peers are: looked up when a stream opens, and by {@link #syncPeers}
     * @param self      this pod, named to the peers when a stream opens
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
        return send(pod, chunks(events), events.size());
    }

    /** Queues {@code chunks} ({@code events} events in all) for {@code pod}: forwards, and rehearsals. */
    private CompletableFuture<Set<String>> send(PodId pod, List<ForwardChunk> chunks, int events) {
        while (true) {
            if (closed) {
                return rejected(pod, "the forwarder is closed", events);
            }
            PeerLane lane = lanes.computeIfAbsent(pod, peer -> newLane(peer, false));
            if (lane.circuitRejects()) {
                return rejected(pod, "the circuit of pod " + pod + " is open", events);
            }
            switch (lane.offer(chunks, events)) {
                case QUEUED -> {
                    if (closed) {
                        lane.shutdown("the forwarder is closed", Duration.ZERO); // raced with close()
                    }
                    chunks.forEach(chunk -> bound(pod, chunk));
                    return combine(chunks);
                }
                case FULL -> {
                    return rejected(pod, "pod " + pod + " has more than " + settings.maxQueuedEventsPerPeer()
                            + " events queued or in flight", events);
                }
                case RETIRED -> lanes.remove(pod, lane); // closed for idleness just now: take a fresh one
            }
        }
    }

    /**
     * Brings the lanes in line with the pod directory: a stream to every live peer (opened now
     * when there is none: a warm-up), at its current address; the lane of a peer that left is
     * closed, failing what still waits for it. Called periodically (bootstrap runs it at the
     * directory's refresh rate); a directory that cannot be read changes nothing.
     */
    public void syncPeers() {
        if (closed) {
            return;
        }
        Set<PodId> live;
        try {
            live = directory.livePods();
        } catch (RuntimeException e) {
            LOG.debug("pod directory unreadable; peers unchanged: {}", e.getMessage());
            return;
        }
        for (PodId peer : live) {
            if (!peer.equals(self)) {
                warm(peer);
            }
        }
        lanes.forEach((peer, lane) -> {
            if (!live.contains(peer) && lane.pinned() && gone(peer) && lanes.remove(peer, lane)) {
                LOG.info("pod_id={} left the pod directory; closing its stream", peer);
                lane.shutdown("pod " + peer + " left the cluster", Duration.ZERO);
            }
        });
    }

    /** Whether {@code peer} is gone, asked afresh: the list read above may predate a pod that just joined. */
    private boolean gone(PodId peer) {
        try {
            return !directory.alive(peer);
        } catch (RuntimeException e) {
            return false; // unknown: keep the lane
        }
    }

    /**
     * {@code peer} opened its own stream to this pod, so it is up, and probably new: warm a stream
     * to it now rather than at the next {@link #syncPeers}, if the pod directory lists it. Returns
     * at once (safe on a transport thread).
     */
    public void peerReachedUs(PodId peer) {
        if (closed || peer.equals(self)) {
            return;
        }
        PeerLane lane = lanes.get(peer);
        if (lane != null) {
            lane.peerIsUp();
            return;
        }
        Thread.ofVirtual().name("relaymesh-grpc-warm-" + peer).start(() -> {
            try {
                if (directory.alive(peer)) {
                    warm(peer);
                }
            } catch (RuntimeException e) {
                LOG.debug("could not warm a stream to pod_id={}: {}", peer, e.getMessage());
            }
        });
    }

    private void warm(PodId peer) {
        Optional<String> address;
        try {
            address = directory.address(peer);
        } catch (RuntimeException e) {
            LOG.debug("address of pod_id={} unreadable: {}", peer, e.getMessage());
            return;
        }
        if (address.isEmpty()) {
            return;
        }
        while (!closed) {
            boolean[] created = {false};
            PeerLane lane = lanes.computeIfAbsent(peer, p -> {
                created[0] = true;
                return newLane(p, true);
            });
            if (lane.pin(address.get())) {
                if (created[0]) {
                    rehearse(peer);
                }
                return;
            }
            lanes.remove(peer, lane); // retired just now: take a fresh one
        }
    }

    /**
     * Sends an empty forward to a peer just warmed: the whole path (queue, batch, both pods'
     * codecs and handlers, ack, completion) runs once as soon as the stream is open, so that
     * loading and first-call costs are not paid by the first event (tens of milliseconds in a
     * fresh JVM). It counts in no metric, is never retried and never fails anything.
     */
    private void rehearse(PodId peer) {
        send(peer, List.of(new ForwardChunk(List.of())), 0);
    }

    /**
     * {@code events} in chunks of at most {@code maxBatchEvents} events and
     * {@link GrpcDeliveryServer#MAX_BATCH_BYTES} bytes (an event larger than that goes alone).
     */
    private List<ForwardChunk> chunks(List<Envelope> events) {
        int max = settings.maxBatchEvents();
        List<ForwardChunk> chunks = new ArrayList<>();
        int from = 0;
        long bytes = 0;
        for (int i = 0; i < events.size(); i++) {
            long size = EventMessages.sizeOf(events.get(i));
            if (i > from && (i - from == max || bytes + size > GrpcDeliveryServer.MAX_BATCH_BYTES)) {
                chunks.add(new ForwardChunk(events.subList(from, i)));
                from = i;
                bytes = 0;
            }
            bytes += size;
        }
        chunks.add(new ForwardChunk(events.subList(from, events.size())));
        return chunks;
    }

    /** Stops forwarding: fails queued forwards, lets batches in flight finish within the close timeout. */
    @Override
    public void close() {
        closed = true;
        List<PeerLane> all = new ArrayList<>(lanes.values());
        lanes.clear();
        all.forEach(lane -> lane.shutdown("the forwarder is closed", settings.closeTimeout()));
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

    /** Whether a stream to {@code peer} is open (its peer answered the opening). */
    boolean streamOpen(PodId peer) {
        PeerLane lane = lanes.get(peer);
        return lane != null && lane.streamOpen();
    }

    private PeerLane newLane(PodId peer, boolean warm) {
        PeerLane lane = new PeerLane(peer, self, directory, settings, listener, credentials);
        listener.peerAdded(peer);
        if (warm) {
            listener.peerWarmed(peer);
        }
        return lane;
    }

    private CompletableFuture<Set<String>> rejected(PodId pod, String why, int events) {
        PortUnavailableException failure = new PortUnavailableException("grpc", why, null);
        if (events > 0) { // not a rehearsal
            listener.batchFailed(pod, failure);
        }
        return CompletableFuture.failedFuture(failure);
    }

    /** Gives {@code chunk} up if it is still pending after the longest a forward may take. */
    private void bound(PodId pod, ForwardChunk chunk) {
        long limit = settings.maxForwardTime().toMillis();
        try {
            ScheduledFuture<?> timeout = timer.schedule(() -> {
                PortUnavailableException failure = new PortUnavailableException("grpc", "forward of "
                        + chunk.size() + " events to pod " + pod + " not answered within " + limit + " ms",
                        new TimeoutException());
                if (chunk.giveUp(failure) && chunk.size() > 0) {
                    listener.batchFailed(pod, failure);
                }
            }, limit, TimeUnit.MILLISECONDS);
            chunk.result().whenComplete((ids, error) -> timeout.cancel(false));
        } catch (RejectedExecutionException e) {
            // The timer stops only when closing, which fails or finishes every forward itself.
        }
    }

    /**
     * The caller's future: the union of the chunks' accepted ids, or the first chunk failure. It
     * completes on a fresh virtual thread, so the caller's continuations never run on (and never
     * stall) a transport, lane or timer thread.
     */
    private CompletableFuture<Set<String>> combine(List<ForwardChunk> chunks) {
        CompletableFuture<Set<String>> result = new CompletableFuture<>();
        CompletableFuture<?>[] futures = chunks.stream().map(ForwardChunk::result).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(futures).whenComplete((ignored, error) -> Thread.startVirtualThread(() -> {
            Set<String> accepted = new HashSet<>();
            for (ForwardChunk chunk : chunks) {
                CompletableFuture<Set<String>> future = chunk.result();
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
