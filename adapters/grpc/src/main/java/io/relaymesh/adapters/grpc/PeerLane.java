package io.relaymesh.adapters.grpc;

import io.grpc.Status;
import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.proto.v2.DeliverAck;
import io.relaymesh.proto.v2.DeliverBatch;
import io.relaymesh.proto.v2.PodDeliveryGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything this pod sends to one peer: one long-lived stream ({@link PeerStream}) on one
 * channel, the forwards waiting for it ({@link LaneQueue}), the batches in flight on it
 * ({@link BatchesInFlight}), and the virtual thread that keeps it going. A slow or dead peer
 * delays only its own lane.
 *
 * <p>The thread opens the stream as soon as there is a reason to: the peer is in the pod
 * directory ({@link #pin}; so the stream is open before the first event) or a forward waits. It
 * sends queued forwards in batches of up to {@code maxBatchEvents} (and
 * {@link GrpcDeliveryServer#MAX_BATCH_BYTES}), waiting at most {@code maxLinger} after the oldest
 * arrived, while fewer than {@code maxInFlightBatches} are unacknowledged and gRPC says the stream
 * is ready (flow control: a peer that reads slowly holds back its lane, not the pod). Forwards that
 * arrive meanwhile go together in the next batch.
 *
 * <p>A stream that breaks, is refused, or leaves its opening or its oldest batch unacknowledged for
 * {@code deadline} is dropped: its batches in flight fail, and so do the queued forwards if it never
 * opened (they were waiting for it); {@link PeerRetries} sends them again. The next stream opens at
 * once after one that worked, else after a doubling back-off, and only for new work after a refusal
 * that retrying cannot fix (a wrong cluster secret, say). The peer's {@link PeerCircuit} counts each
 * such failure once; while it is open, queued forwards fail at once.
 *
 * <p>Thread-safe: state is guarded by {@link #lock}; gRPC calls are made by the lane's thread only.
 */
final class PeerLane implements PeerStream.Events {
    private static final Logger LOG = LoggerFactory.getLogger(PeerLane.class);

    /** What became of an offer. */
    enum Offer { QUEUED, FULL, RETIRED }

    private final PodId peer;
    private final GrpcSettings settings;
    private final ForwarderListener listener;
    private final PodDirectory directory;
    private final PeerChannel channel;
    private final PeerCircuit circuit;
    private final PeerRetries retries;
    private final Thread thread;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock.
    private final LaneQueue queue = new LaneQueue();
    private final BatchesInFlight inFlight = new BatchesInFlight();
    private PeerStream stream;
    private long nextSeq;
    /** When the stream last made progress: opened, or acknowledged a batch. */
    private long progressNanos;
    private boolean pinned;
    /** The address the pod directory gave last (null until known). */
    private String announced;
    private int failures;
    private long reopenAtNanos = System.nanoTime();
    /**
     * The last stream was refused in a way retrying cannot fix, or the peer left: open the next
     * one only for new work, a new address, or news that the peer is up.
     */
    private boolean haltedUntilWork;
    private boolean retired;
    private long retireByNanos;
    private String retiredWhy;
    private long lastActiveNanos = System.nanoTime();

    PeerLane(PodId peer, PodId self, PodDirectory directory, GrpcSettings settings, ForwarderListener listener,
             PeerCredentials credentials) {
        this.peer = peer;
        this.settings = settings;
        this.listener = listener;
        this.directory = directory;
        this.channel = new PeerChannel(peer, self, credentials);
        this.circuit = new PeerCircuit(peer, settings, listener);
        this.retries = new PeerRetries(peer, settings, listener);
        this.thread = Thread.ofVirtual().name("relaymesh-grpc-peer-" + peer).start(this::run);
    }

    /**
     * Queues the first attempts of {@code chunks} ({@code events} events in all) unless the lane
     * holds too many events already (queued or in flight) or has been retired; once queued, each
     * chunk's result completes when the peer took it, or when it was given up.
     */
    Offer offer(List<ForwardChunk> chunks, int events) {
        lock.lock();
        try {
            if (retired) {
                return Offer.RETIRED;
            }
            if (queue.events() + inFlight.events() + events > settings.maxQueuedEventsPerPeer()) {
                return Offer.FULL;
            }
            for (ForwardChunk chunk : chunks) {
                queue.addLast(chunk.attempt());
            }
            lastActiveNanos = System.nanoTime();
            haltedUntilWork = false;
            changed.signal();
        } finally {
            lock.unlock();
        }
        for (ForwardChunk chunk : chunks) {
            retries.follow(chunk, this::resend);
        }
        return Offer.QUEUED;
    }

    /** Queues a retry ahead of new forwards (it is older than they are). */
    private void resend(PendingForward attempt) {
        lock.lock();
        try {
            if (retired) {
                throw new PortUnavailableException("grpc", retiredWhy, null);
            }
            queue.addFirst(attempt);
            lastActiveNanos = System.nanoTime();
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Whether forwards to this peer fail at once because its circuit is open. */
    boolean circuitRejects() {
        return circuit.rejects();
    }

    /**
     * Keeps a stream open to the peer from now on (until retired), at {@code address} where the pod
     * directory lists it: one open elsewhere is replaced.
     *
     * @return false when the lane was retired already (take a new one)
     */
    boolean pin(String address) {
        lock.lock();
        try {
            if (retired) {
                return false;
            }
            pinned = true;
            if (!address.equals(announced)) {
                haltedUntilWork = false; // somewhere new: worth a try
            }
            announced = address;
            changed.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #pin} was called: the peer is, or was, in the pod directory. */
    boolean pinned() {
        lock.lock();
        try {
            return pinned;
        } finally {
            lock.unlock();
        }
    }

    /** The peer just opened its own stream to this pod, so it is up: stop waiting to reconnect. */
    void peerIsUp() {
        lock.lock();
        try {
            reopenAtNanos = System.nanoTime();
            haltedUntilWork = false;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Retires the lane if it is not pinned and nothing happened on it for {@code idle}: no queued
     * forwards, no batch in flight. A retired lane takes no more forwards and closes its channel.
     */
    boolean retireIfIdle(Duration idle) {
        lock.lock();
        try {
            if (retired || pinned || !queue.isEmpty() || !inFlight.isEmpty()
                    || System.nanoTime() - lastActiveNanos < idle.toNanos()) {
                return false;
            }
            retire("the channel to pod " + peer + " was closed for idleness", Duration.ZERO);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Fails the queued forwards with {@code why}, lets the batches in flight be acknowledged for
     * up to {@code grace}, then closes the stream and the channel; see {@link #awaitClosed}.
     */
    void shutdown(String why, Duration grace) {
        List<PendingForward> dropped;
        lock.lock();
        try {
            if (retired) {
                return;
            }
            retire(why, grace);
            dropped = queue.drain();
        } finally {
            lock.unlock();
        }
        fail(dropped, new PortUnavailableException("grpc", why, null));
    }

    /** Waits up to {@code timeout} for the lane's thread to close the stream and channel. */
    void awaitClosed(Duration timeout) {
        try {
            if (!thread.join(timeout)) {
                thread.interrupt(); // e.g. stuck in a directory look-up
                thread.join(Duration.ofMillis(100));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean channelOpen() {
        return channel.isOpen();
    }

    /** Whether a stream to the peer is open (the peer answered its opening). */
    boolean streamOpen() {
        lock.lock();
        try {
            return stream != null && stream.opened();
        } finally {
            lock.unlock();
        }
    }

    private void retire(String why, Duration grace) {
        retired = true;
        retiredWhy = why;
        retireByNanos = System.nanoTime() + grace.toNanos();
        retries.shutdown();
        changed.signal();
    }

    // --- the lane's thread ---

    private void run() {
        try {
            Runnable step;
            while ((step = nextStep()) != null) {
                step.run();
            }
        } catch (InterruptedException e) {
            LOG.debug("lane of pod_id={} interrupted", peer);
        } catch (RuntimeException e) {
            LOG.error("the lane of pod_id={} failed", peer, e); // a bug; what waits still fails below
        } finally {
            windDown();
        }
    }

    /** What to do next (run without the lock), waiting until there is something; null once retired. */
    private Runnable nextStep() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                long now = System.nanoTime();
                if (retired) {
                    if (stream != null && !inFlight.isEmpty() && retireByNanos - now > 0) {
                        changed.awaitNanos(retireByNanos - now); // let the batches in flight be answered
                        continue;
                    }
                    return null;
                }
                if (stream != null) {
                    Runnable step = streamStep(now);
                    if (step != null) {
                        return step;
                    }
                    continue;
                }
                if (queue.isEmpty() && (!pinned || haltedUntilWork)) {
                    changed.await();
                } else if (reopenAtNanos - now > 0) {
                    changed.awaitNanos(reopenAtNanos - now);
                } else if (circuit.rejects()) {
                    // Forwards fail at once while the circuit is open: so do those already waiting.
                    List<PendingForward> waiting = queue.drain();
                    if (!waiting.isEmpty()) {
                        return () -> fail(waiting, new PortUnavailableException("grpc", "the circuit of pod " + peer
                                + " is open", null));
                    }
                    changed.awaitNanos(Math.max(circuit.remainingDelay().toNanos(), 1_000_000));
                } else {
                    return this::openStream;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The step for the open stream, or null after waiting (the caller looks again). Lock held. */
    private Runnable streamStep(long now) throws InterruptedException {
        long deadline = settings.deadline().toNanos();
        long clock = !stream.opened() ? stream.startedNanos()
                : inFlight.isEmpty() ? Long.MAX_VALUE : Math.max(inFlight.oldest().sentNanos(), progressNanos);
        if (clock != Long.MAX_VALUE && now - clock >= deadline) {
            String what = stream.opened() ? "acknowledge batch " + inFlight.oldest().seq() : "answer the opening";
            return drop(Status.DEADLINE_EXCEEDED.withDescription("pod " + peer + " did not " + what + " within "
                    + settings.deadline().toMillis() + " ms"), true);
        }
        if (announced != null && !announced.equals(stream.address())) {
            LOG.info("pod_id={} moved from {} to {}; replacing its stream", peer, stream.address(), announced);
            return drop(Status.UNAVAILABLE.withDescription("pod " + peer + " moved to " + announced), false);
        }
        long wait = clock == Long.MAX_VALUE ? Long.MAX_VALUE : clock + deadline - now;
        if (!queue.isEmpty() && inFlight.size() < settings.maxInFlightBatches() && stream.isReady()) {
            long linger = queue.oldestNanos() + settings.maxLinger().toNanos() - now;
            if (linger <= 0 || queue.events() >= settings.maxBatchEvents()) {
                return nextBatch(now);
            }
            wait = Math.min(wait, linger);
        }
        if (wait == Long.MAX_VALUE) {
            changed.await();
        } else {
            changed.awaitNanos(wait);
        }
        return null;
    }

    /** Takes the next batch off the queue and puts it in flight; the step sends it. Lock held. */
    private Runnable nextBatch(long now) {
        List<PendingForward> forwards = queue.takeBatch(settings.maxBatchEvents(), GrpcDeliveryServer.MAX_BATCH_BYTES);
        int events = 0;
        for (PendingForward forward : forwards) {
            events += forward.size();
        }
        long seq = nextSeq++;
        inFlight.add(new BatchesInFlight.Batch(seq, forwards, events, now));
        lastActiveNanos = now;
        PeerStream target = stream;
        return () -> send(target, seq, forwards);
    }

    private void send(PeerStream target, long seq, List<PendingForward> forwards) {
        DeliverBatch.Builder batch = DeliverBatch.newBuilder().setSeq(seq);
        for (PendingForward forward : forwards) {
            for (Envelope event : forward.events()) {
                batch.addEnvelopes(EventMessages.toWire(event));
            }
        }
        try {
            target.send(batch.build());
        } catch (RuntimeException e) {
            failed(target, Status.fromThrowable(e));
        }
    }

    /** Looks the peer up and starts a stream to it. */
    private void openStream() {
        Optional<String> address;
        try {
            address = directory.address(peer);
        } catch (RuntimeException e) {
            unreachable("the address of pod " + peer + " could not be looked up", e);
            return;
        }
        if (address.isEmpty()) {
            unreachable("pod " + peer + " has no live address", null);
            return;
        }
        PodDeliveryGrpc.PodDeliveryStub stub;
        try {
            stub = channel.stubFor(address.get());
        } catch (RuntimeException e) {
            unreachable("cannot reach pod " + peer + " at " + address.get(), e);
            return;
        }
        EventMessages.warmUp();
        circuit.probeIfDue();
        PeerStream opening = new PeerStream(address.get(), this);
        lock.lock();
        try {
            if (retired) {
                return;
            }
            // Known before it starts: its first news (even a refusal) may come before start() returns.
            stream = opening;
            nextSeq = 1;
            announced = address.get(); // the directory's latest word
        } finally {
            lock.unlock();
        }
        try {
            opening.start(stub);
        } catch (RuntimeException e) {
            failed(opening, Status.fromThrowable(e));
        }
    }

    /**
     * The peer cannot be reached now: what waits for it fails at once. A pinned lane looks again
     * after a back-off; new work looks again at once (the directory caches its answers).
     */
    private void unreachable(String why, RuntimeException cause) {
        List<PendingForward> waiting;
        lock.lock();
        try {
            waiting = queue.drain();
            failures++;
            reopenAtNanos = System.nanoTime() + (waiting.isEmpty() ? backoff(failures) : 0);
        } finally {
            lock.unlock();
        }
        LOG.debug("no stream to pod_id={}: {}", peer, why);
        fail(waiting, new PortUnavailableException("grpc", why, cause));
    }

    /**
     * Drops the stream with {@code status}, failing its batches in flight (the retries send them on
     * the next one); {@code fault} when it counts against the peer. Lock held; the step cancels it.
     */
    private Runnable drop(Status status, boolean fault) {
        PeerStream dropped = stream;
        List<PendingForward> lost = endStream(status, fault);
        return () -> {
            dropped.cancel(status.getDescription());
            settleFailure(dropped, status, fault, lost);
        };
    }

    /** Forgets the stream; returns the forwards that fail with it. Lock held. */
    private List<PendingForward> endStream(Status status, boolean fault) {
        boolean opened = stream.opened();
        stream = null;
        List<PendingForward> lost = inFlight.drain();
        if (!opened) {
            lost.addAll(queue.drain()); // they were waiting for this stream
        }
        if (fault) {
            failures++;
            // After a stream that worked, reconnect at once: a restarted peer, a connection reset.
            reopenAtNanos = System.nanoTime() + (opened && failures == 1 ? 0 : backoff(failures));
            haltedUntilWork = !PeerRetries.retriable(status);
        }
        changed.signal();
        return lost;
    }

    private void settleFailure(PeerStream ended, Status status, boolean fault, List<PendingForward> lost) {
        if (ended.opened()) {
            LOG.warn("stream to pod_id={} at {} closed: {}", peer, ended.address(), status);
        } else {
            LOG.debug("stream to pod_id={} at {} did not open: {}", peer, ended.address(), status);
        }
        if (fault) {
            circuit.failure();
        }
        fail(lost, status.asRuntimeException());
    }

    /** Doubling from the retry's initial delay up to its maximum, with the retry's jitter. */
    private long backoff(int failed) {
        long first = settings.retryInitialDelay().toNanos();
        long delay = Math.min(settings.retryMaxDelay().toNanos(), first << Math.min(20, Math.max(0, failed - 1)));
        double jitter = settings.retryJitterFactor();
        return (long) (delay * (1 + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-jitter, jitter))));
    }

    /** On the way out: fail what is left, end the stream, close the channel. */
    private void windDown() {
        PeerStream last;
        List<PendingForward> left;
        String why;
        boolean clean;
        lock.lock();
        try {
            retired = true;
            why = retiredWhy == null ? "the channel to pod " + peer + " is closed" : retiredWhy;
            last = stream;
            stream = null;
            clean = inFlight.isEmpty();
            left = inFlight.drain();
            left.addAll(queue.drain());
        } finally {
            lock.unlock();
        }
        retries.shutdown();
        fail(left, new PortUnavailableException("grpc", why, null));
        if (last != null) {
            try {
                if (clean) {
                    last.finish(); // nothing in flight: the peer ends the stream cleanly
                } else {
                    last.cancel(why);
                }
            } catch (RuntimeException e) {
                LOG.debug("ending the stream to pod_id={} failed", peer, e);
            }
            if (last.opened()) {
                LOG.info("stream to pod_id={} at {} closed: {}", peer, last.address(), why);
            }
        }
        channel.close(Duration.ofSeconds(1));
    }

    private static void fail(List<PendingForward> forwards, RuntimeException failure) {
        forwards.forEach(forward -> forward.future().completeExceptionally(failure));
    }

    // --- news from the stream (transport threads; must not block) ---

    @Override
    public void opened(PeerStream opened) {
        lock.lock();
        try {
            if (opened != stream) {
                return;
            }
            progressNanos = System.nanoTime();
            failures = 0;
            changed.signal();
        } finally {
            lock.unlock();
        }
        LOG.info("stream to pod_id={} at {} open", peer, opened.address());
        circuit.success();
        listener.streamOpened(peer);
    }

    @Override
    public void acked(PeerStream acking, DeliverAck ack) {
        BatchesInFlight.Batch batch;
        lock.lock();
        try {
            if (acking != stream) {
                return; // the stream was dropped: its batches failed and are being retried
            }
            batch = inFlight.remove(ack.getSeq());
            if (batch == null) {
                LOG.debug("pod_id={} acknowledged batch {}, which is not in flight", peer, ack.getSeq());
                return;
            }
            progressNanos = System.nanoTime();
            lastActiveNanos = progressNanos;
            changed.signal();
        } finally {
            lock.unlock();
        }
        if (batch.events() > 0) { // not a rehearsal (see GrpcPodForwarder)
            listener.batchSent(peer, batch.events(), System.nanoTime() - batch.sentNanos());
        }
        if (ack.getError().isEmpty()) {
            circuit.success();
        } else {
            circuit.failure();
        }
        batch.settle(ack, peer.value());
    }

    @Override
    public void ready(PeerStream ready) {
        lock.lock();
        try {
            if (ready == stream) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Not the peer's fault: it said it is leaving. Reopen only when there is a reason to. */
    @Override
    public void left(PeerStream ended, Status status) {
        List<PendingForward> lost;
        lock.lock();
        try {
            if (ended != stream) {
                return;
            }
            lost = endStream(status, false);
            haltedUntilWork = true;
        } finally {
            lock.unlock();
        }
        LOG.info("stream to pod_id={} at {} closed: the pod is leaving", peer, ended.address());
        fail(lost, status.asRuntimeException());
    }

    @Override
    public void failed(PeerStream failed, Status status) {
        List<PendingForward> lost;
        lock.lock();
        try {
            if (failed != stream) {
                return; // dropped by the lane already, or replaced
            }
            lost = endStream(status, true);
        } finally {
            lock.unlock();
        }
        settleFailure(failed, status, true, lost);
    }
}
