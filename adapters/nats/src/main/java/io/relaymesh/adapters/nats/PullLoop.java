package io.relaymesh.adapters.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.relaymesh.domain.error.RelaymeshException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Pulls one durable consumer on its own thread: reserve in-flight permits, ask the server for at
 * most that many messages, hand each one off as it arrives, repeat. Every pod pulls the same
 * durable, so JetStream gives each message to one pod. Failures (server restart, consumer
 * deleted, stream deleted) end the current pull; the loop then waits with a bounded back-off,
 * recreates the consumer if it is gone, subscribes again, and logs when it consumes again. While
 * disconnected it does not pull at all; after each empty pull it checks that the consumer still
 * exists, since a deletion with no pull open leaves no trace on the client.
 * Thread-safe: {@link #stop()} may be called from any thread.
 */
final class PullLoop {
    private static final Logger log = LoggerFactory.getLogger(PullLoop.class);
    private static final Duration DISCONNECTED_POLL = Duration.ofMillis(100);

    private final ConsumerKind kind;
    private final String durable;
    private final NatsConnections nats;
    private final JetStreamProvisioner provisioner;
    private final NatsSettings settings;
    private final InFlightLimit inFlight;
    private final int batchLimit;
    private final Consumer<Message> dispatch;
    private final Thread thread;
    private volatile boolean running = true;
    private JetStreamSubscription subscription;

    PullLoop(ConsumerKind kind, NatsConnections nats, JetStreamProvisioner provisioner, InFlightLimit inFlight,
             int batchLimit, Consumer<Message> dispatch) {
        this.kind = kind;
        this.nats = nats;
        this.settings = provisioner.settings();
        this.durable = kind.durableName(settings.consumerName());
        this.provisioner = provisioner;
        this.inFlight = inFlight;
        this.batchLimit = batchLimit;
        this.dispatch = dispatch;
        this.thread = Thread.ofPlatform().daemon().name("relaymesh-nats-pull-" + kind.suffix()).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Stops pulling; the current pull ends at once. */
    void stop() {
        running = false;
        thread.interrupt();
    }

    /** Waits for the loop to finish (it hands back what it holds first). */
    boolean join(Duration timeout) throws InterruptedException {
        return thread.join(timeout);
    }

    private void run() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        int failures = 0;
        while (running) {
            int reserved = 0;
            try {
                if (nats.isClosed()) {
                    log.error("NATS connection is closed; JetStream consumer {} stops (close the event source first)",
                            durable);
                    break;
                }
                if (!nats.isConnected()) {
                    // A pull sent now would sit in the reconnect buffer and reach the server late.
                    TimeUnit.MILLISECONDS.sleep(DISCONNECTED_POLL.toMillis());
                    continue;
                }
                if (subscription == null) {
                    subscription = subscribe();
                }
                reserved = inFlight.reserve(batchLimit);
                long started = System.nanoTime();
                int received = 0;
                Iterator<Message> messages = subscription.iterate(reserved, settings.pullExpiry());
                while (messages.hasNext()) {
                    Message message = messages.next();
                    reserved--;
                    received++;
                    dispatch.accept(message);
                }
                inFlight.release(reserved);
                reserved = 0;
                if (failures > 0 && running) {
                    log.info("JetStream consumer {} is consuming again after {} failed attempt(s)", durable, failures);
                    failures = 0;
                    backoff.reset();
                }
                if (received > 0) {
                    backoff.reset();
                }
                if (received == 0 && running) {
                    // A pull to a deleted consumer gets no answer at all (the JetStream API import
                    // swallows it), so an empty pull is the moment to check: one request per pull expiry.
                    boolean answeredAtOnce = System.nanoTime() - started < settings.pullExpiry().toNanos() / 2;
                    if (recreateIfMissing()) {
                        closeSubscription();
                    } else if (answeredAtOnce) {
                        TimeUnit.MILLISECONDS.sleep(backoff.next().toMillis());
                    }
                }
            } catch (InterruptedException e) {
                inFlight.release(reserved);
                if (running) {
                    Thread.interrupted();
                }
            } catch (RuntimeException e) {
                // JetStreamStatusException (409 consumer deleted), IllegalStateException (connection
                // closed or subscription gone), PortUnavailableException, JetStreamSetupException ...
                inFlight.release(reserved);
                if (!running) {
                    break;
                }
                failures++;
                Duration delay = backoff.next();
                if (failures == 1) {
                    log.warn("JetStream consumer {} failed ({}); retrying in {} ms", durable, describe(e),
                            delay.toMillis());
                } else {
                    log.debug("JetStream consumer {} failed again ({}); attempt {}, retrying in {} ms", durable,
                            describe(e), failures, delay.toMillis());
                }
                closeSubscription();
                sleepQuietly(delay);
            }
        }
        handBack();
    }

    /** Recreates the consumer (and stream) if missing, then binds a pull subscription to it. */
    private JetStreamSubscription subscribe() {
        recreateIfMissing();
        try {
            return nats.jetStream().subscribe(null, PullSubscribeOptions.fastBind(settings.streamName(), durable));
        } catch (IOException | JetStreamApiException e) {
            throw new RelaymeshException("cannot subscribe to consumer " + durable + ": " + e.getMessage(), e);
        }
    }

    /** True when the consumer was missing and has been recreated. */
    private boolean recreateIfMissing() {
        if (provisioner.consumerExists(kind)) {
            return false;
        }
        log.warn("JetStream consumer {} on {} is missing (deleted?); recreating it", durable, settings.streamName());
        provisioner.ensureConsumer(kind);
        return true;
    }

    /**
     * On stop: messages the server already sent but nobody took yet are nak'ed, so another pod gets
     * them now rather than after the ack wait; then the subscription goes.
     */
    private void handBack() {
        JetStreamSubscription sub = subscription;
        if (sub == null) {
            return;
        }
        Thread.interrupted();
        int handedBack = 0;
        try {
            Message message;
            while ((message = sub.nextMessage((Duration) null)) != null) {
                message.nak();
                handedBack++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("Could not hand back buffered messages of {}", durable, e);
        }
        if (handedBack > 0) {
            log.info("Handed {} unprocessed message(s) of {} back to JetStream", handedBack, durable);
        }
        closeSubscription();
    }

    private void closeSubscription() {
        JetStreamSubscription sub = subscription;
        subscription = null;
        if (sub == null) {
            return;
        }
        try {
            if (sub.isActive()) {
                sub.unsubscribe();
            }
        } catch (RuntimeException e) {
            log.debug("Unsubscribing from {} failed", durable, e);
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private void sleepQuietly(Duration delay) {
        try {
            TimeUnit.MILLISECONDS.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            if (running) {
                Thread.interrupted();
            }
        }
    }
}
