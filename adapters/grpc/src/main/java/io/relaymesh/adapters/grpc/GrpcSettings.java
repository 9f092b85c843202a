package io.relaymesh.adapters.grpc;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of pod-to-pod delivery over gRPC.
 *
 * <p>Circuit breaker policy: count-based, it opens after {@code circuitFailureThreshold}
 * <em>consecutive</em> failures of a peer's stream: a stream that could not open or broke, a batch
 * not acknowledged within the deadline, or a batch the peer could not deliver. A dead or refusing
 * peer fails every attempt to open a stream, so consecutive counting trips within a few attempts
 * regardless of traffic volume, whereas a failure rate over a window needs a minimum number of
 * calls per window to decide and would let a quiet peer stall forwards much longer. A stream that
 * breaks with many batches in flight counts once. Every acknowledgement (of the opening or of a
 * batch) is a success.
 *
 * @param deadline                longest a peer's stream may take to open, or to acknowledge its
 *                                oldest batch (counted from when that batch was sent or the
 *                                previous one acknowledged, whichever is later); past it the
 *                                stream counts as failed and is replaced
 * @param maxBatchEvents          most events in one batch; a larger forward is split
 * @param maxLinger               longest an event waits for companions before a partial batch is sent
 * @param maxInFlightBatches      batches sent on a peer's stream and not acknowledged yet, at most;
 *                                forwards queued meanwhile go together in the next batch
 * @param retryMaxAttempts        sends of a forward's events, the first one included (1 = no retry)
 * @param retryInitialDelay       back-off before the first retry, doubled on each further retry ...
 * @param retryMaxDelay           ... up to this
 * @param retryJitterFactor       each back-off varies randomly by up to this fraction (0..1)
 * @param circuitFailureThreshold consecutive failed calls that open a peer's circuit
 * @param circuitOpenDelay        how long an open circuit rejects calls before it half-opens
 * @param circuitSuccessThreshold consecutive successful calls in half-open state that close it
 * @param maxQueuedEventsPerPeer  events queued for or in flight to one peer beyond which new
 *                                forwards fail at once
 * @param channelIdleTimeout      the channel (and queue) of a peer that is not in the pod directory,
 *                                unused this long, is closed; peers in the directory keep theirs
 * @param closeTimeout            how long {@code close()} waits for calls in flight to finish
 */
public record GrpcSettings(Duration deadline, int maxBatchEvents, Duration maxLinger, int maxInFlightBatches,
                           int retryMaxAttempts,
                           Duration retryInitialDelay, Duration retryMaxDelay, double retryJitterFactor,
                           int circuitFailureThreshold, Duration circuitOpenDelay, int circuitSuccessThreshold,
                           int maxQueuedEventsPerPeer, Duration channelIdleTimeout, Duration closeTimeout) {

    /** Time past the worst case of one batch that a queued forward may take (queueing, scheduling). */
    private static final Duration SLACK = Duration.ofSeconds(1);

    public GrpcSettings {
        requirePositive("deadline", deadline);
        requirePositive("retry_initial_delay", retryInitialDelay);
        requirePositive("circuit_open_delay", circuitOpenDelay);
        requirePositive("channel_idle_timeout", channelIdleTimeout);
        requirePositive("close_timeout", closeTimeout);
        Objects.requireNonNull(maxLinger, "max_linger");
        Objects.requireNonNull(retryMaxDelay, "retry_max_delay");
        if (maxLinger.isNegative()) {
            throw new IllegalArgumentException("max_linger must not be negative");
        }
        if (retryMaxDelay.compareTo(retryInitialDelay) < 0) {
            throw new IllegalArgumentException("retry_max_delay must be at least retry_initial_delay");
        }
        if (maxBatchEvents < 1 || maxInFlightBatches < 1 || retryMaxAttempts < 1 || circuitFailureThreshold < 1
                || circuitSuccessThreshold < 1) {
            throw new IllegalArgumentException("max_batch_events, max_in_flight_batches, retry_max_attempts and the"
                    + " circuit thresholds must be at least 1");
        }
        if (maxQueuedEventsPerPeer < maxBatchEvents) {
            throw new IllegalArgumentException("max_queued_events_per_peer must be at least max_batch_events");
        }
        if (!(retryJitterFactor >= 0 && retryJitterFactor <= 1)) {
            throw new IllegalArgumentException("retry_jitter_factor must be between 0 and 1");
        }
    }

    /**
     * Deadline 2 s, batches of up to 256 events and no linger (an idle stream sends at once;
     * batches form from the forwards that arrive while 4 batches are in flight, so a linger would
     * only add latency to every crosspod event at low rates), 3 attempts with back-off
     * 50 ms → 1 s and 20 % jitter, circuit opens after 5 consecutive failures, half-opens after
     * 2 s and closes after 2 successes, 10,000 queued events per peer, idle channels of peers
     * that left the directory closed after 5 min, 5 s to close.
     */
    public static GrpcSettings defaults() {
        return new GrpcSettings(Duration.ofSeconds(2), 256, Duration.ZERO, 4, 3,
                Duration.ofMillis(50), Duration.ofSeconds(1), 0.2,
                5, Duration.ofSeconds(2), 2,
                10_000, Duration.ofMinutes(5), Duration.ofSeconds(5));
    }

    /**
     * Longest a forward may take before it fails: the linger, every attempt running into its
     * deadline, every back-off at its jittered maximum, and a second of slack for queueing and
     * for batches ahead of it on the stream.
     * Forwards still waiting then fail with a timeout so that each one completes in bounded time.
     */
    public Duration maxForwardTime() {
        Duration total = maxLinger.plus(deadline.multipliedBy(retryMaxAttempts)).plus(SLACK);
        Duration backoff = retryInitialDelay;
        for (int retry = 1; retry < retryMaxAttempts; retry++) {
            Duration capped = backoff.compareTo(retryMaxDelay) > 0 ? retryMaxDelay : backoff;
            total = total.plus(capped).plusNanos((long) (capped.toNanos() * retryJitterFactor));
            backoff = backoff.multipliedBy(2);
        }
        return total;
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
