package io.relaymesh.adapters.nats;

import io.nats.client.Message;
import io.nats.client.impl.NatsJetStreamMetaData;
import io.relaymesh.domain.port.EventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Events from the three JetStream durable consumers ({@code chats}, {@code agents},
 * {@code messages}), shared by every pod: each message reaches one pod. Each consumer is pulled by
 * its own loop ({@link PullLoop}); each message is decoded and handled on its own virtual thread,
 * never on a NATS thread. A pod holds at most {@link NatsSettings#maxInFlight()} unsettled
 * messages: the loops stop pulling until some settle. A malformed message is terminated; a message
 * whose handler throws is nak'ed with the back-off delay of its delivery attempt.
 *
 * <p>Provision the stream and consumers ({@link JetStreamProvisioner#provision()}) before
 * {@link #start}; a consumer deleted later is recreated by its loop. Thread-safe.
 */
public final class JetStreamEventSource implements EventSource {
    private static final Logger log = LoggerFactory.getLogger(JetStreamEventSource.class);

    private final NatsConnections nats;
    private final JetStreamProvisioner provisioner;
    private final NatsSettings settings;
    private final EventDecoder decoder;
    private final InFlightLimit inFlight;
    private final Duration settleDeadline;
    private final Consumer<String> terminated;
    private final List<PullLoop> loops = new ArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private ExecutorService handlers;
    private ScheduledExecutorService watchdog;

    public JetStreamEventSource(NatsConnections nats, JetStreamProvisioner provisioner) {
        this(nats, provisioner, reason -> { });
    }

    /**
     * @param terminated told the reason each time a malformed message is dropped for good (metrics)
     */
    public JetStreamEventSource(NatsConnections nats, JetStreamProvisioner provisioner, Consumer<String> terminated) {
        this.terminated = Objects.requireNonNull(terminated, "terminated");
        this.nats = Objects.requireNonNull(nats, "nats");
        this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
        this.settings = provisioner.settings();
        this.decoder = new EventDecoder(provisioner.bindings());
        this.inFlight = new InFlightLimit(settings.maxInFlight());
        Duration longestAckWait = settings.redeliveryBackoff().stream()
                .reduce(settings.ackWait(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        this.settleDeadline = longestAckWait;
    }

    @Override
    public void start(Consumer<Inbound> handler) {
        Objects.requireNonNull(handler, "handler");
        if (closed.get()) {
            throw new IllegalStateException("event source is closed");
        }
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("event source already started");
        }
        handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("relaymesh-nats-event-", 0).factory());
        watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("relaymesh-nats-watchdog").factory());
        long sweepMillis = Math.clamp(settleDeadline.toMillis() / 4, 100, 1_000);
        watchdog.scheduleWithFixedDelay(() -> inFlight.expire(settleDeadline), sweepMillis, sweepMillis,
                TimeUnit.MILLISECONDS);
        int batchLimit = Math.max(1, settings.maxInFlight() / Math.max(1, provisioner.kinds().size()));
        for (ConsumerKind kind : provisioner.kinds()) {
            String durable = kind.durableName(settings.consumerName());
            PullLoop loop = new PullLoop(kind, nats, provisioner, inFlight, batchLimit,
                    message -> handOff(durable, message, handler));
            loops.add(loop);
        }
        loops.forEach(PullLoop::start);
        log.info("Consuming JetStream stream {} through {} (at most {} events in flight)", settings.streamName(),
                provisioner.kinds().stream().map(k -> k.durableName(settings.consumerName())).toList(),
                settings.maxInFlight());
    }

    /** Messages handed to the handler and not settled yet (for metrics and tests). */
    public int inFlight() {
        return inFlight.unsettled();
    }

    /**
     * Stops pulling, hands back messages nobody took yet, waits (up to the drain timeout) for the
     * handed-out ones to be settled, then stops the handler threads. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true) || !started.get()) {
            return;
        }
        loops.forEach(PullLoop::stop);
        try {
            for (PullLoop loop : loops) {
                if (!loop.join(settings.drainTimeout())) {
                    log.warn("A JetStream pull loop did not stop within {}", settings.drainTimeout());
                }
            }
            if (!inFlight.awaitSettled(settings.drainTimeout())) {
                log.warn("{} event(s) still unsettled after {}; JetStream redelivers them after the ack wait",
                        inFlight.unsettled(), settings.drainTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handlers.shutdown();
        watchdog.shutdownNow();
        log.info("Stopped consuming JetStream stream {}", settings.streamName());
    }

    /** Runs on the pull loop's thread: keep it short, the work goes to a virtual thread. */
    private void handOff(String durable, Message message, Consumer<Inbound> handler) {
        try {
            handlers.execute(() -> handle(durable, message, handler));
        } catch (RejectedExecutionException e) {
            // Closing: let another pod have it now.
            inFlight.release(1);
            message.nak();
        }
    }

    private void handle(String durable, Message message, Consumer<Inbound> handler) {
        NatsJetStreamMetaData meta;
        EventDecoder.Decoded decoded;
        try {
            meta = message.metaData();
            decoded = decoder.decode(message.getSubject(), message.getData(), message.getHeaders(), meta.getStream(),
                    meta.streamSequence(), meta.timestamp().toInstant().toEpochMilli(), provisioner.epoch());
        } catch (RuntimeException e) {
            log.error("Cannot read message {} on {}; redelivering it", message.getSubject(), durable, e);
            inFlight.release(1);
            message.nakWithDelay(settings.nakDelay(Long.MAX_VALUE));
            return;
        }
        switch (decoded) {
            case EventDecoder.Decoded.Rejected rejected -> {
                log.warn("Dropping message {} #{} on {} for good: {}", message.getSubject(), meta.streamSequence(),
                        durable, rejected.reason());
                try {
                    message.term();
                    terminated.accept(rejected.reason());
                } catch (RuntimeException e) {
                    log.warn("Could not terminate message #{} on {}: {}", meta.streamSequence(), durable, e.toString());
                } finally {
                    inFlight.release(1);
                }
            }
            case EventDecoder.Decoded.Ok ok -> {
                NatsInbound inbound = new NatsInbound(message, ok.envelope(), durable, inFlight);
                inFlight.track(inbound);
                try {
                    handler.accept(inbound);
                } catch (Throwable t) {
                    Duration delay = settings.nakDelay(inbound.deliveredCount());
                    if (!inbound.isSettled()) {
                        log.warn("Handler failed for event {} on {} (delivery {}); redelivering in {} ms",
                                ok.envelope().id(), ok.envelope().subject(), inbound.deliveredCount(),
                                delay.toMillis(), t);
                    }
                    inbound.nak(delay);
                    if (t instanceof VirtualMachineError fatal) {
                        throw fatal;
                    }
                }
            }
        }
    }
}
