package io.relaymesh.adapters.grpc;

import dev.failsafe.CircuitBreaker;
import io.relaymesh.domain.model.PodId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * A peer's Failsafe circuit breaker, fed with what its stream does rather than with calls: a
 * stream that could not open or broke, a batch not acknowledged in time and a batch the peer
 * could not deliver are failures (a stream that breaks with many batches in flight counts once);
 * every acknowledgement, of the opening or of a batch, is a success. While it is open, forwards
 * to the peer fail at once; once its delay has passed, the next stream opened is the probe that
 * half-opens it. See {@link GrpcSettings} for the policy. Thread-safe.
 */
final class PeerCircuit {
    private static final Logger LOG = LoggerFactory.getLogger(PeerCircuit.class);

    private final PodId peer;
    private final GrpcSettings settings;
    private final ForwarderListener listener;
    private final CircuitBreaker<Object> breaker;

    PeerCircuit(PodId peer, GrpcSettings settings, ForwarderListener listener) {
        this.peer = peer;
        this.settings = settings;
        this.listener = listener;
        this.breaker = CircuitBreaker.builder()
                .withFailureThreshold(settings.circuitFailureThreshold())
                .withDelay(settings.circuitOpenDelay())
                .withSuccessThreshold(settings.circuitSuccessThreshold())
                .onOpen(e -> changed("open"))
                .onHalfOpen(e -> changed("half_open"))
                .onClose(e -> changed("closed"))
                .build();
    }

    /** Whether the circuit is open and still within its delay: forwards to this peer fail at once. */
    boolean rejects() {
        return breaker.isOpen() && !breaker.getRemainingDelay().isZero();
    }

    /** How long the circuit still rejects (zero when it does not). */
    Duration remainingDelay() {
        return breaker.isOpen() ? breaker.getRemainingDelay() : Duration.ZERO;
    }

    /** Half-opens an open circuit whose delay has passed: the stream about to open is its probe. */
    void probeIfDue() {
        if (breaker.isOpen() && breaker.getRemainingDelay().isZero()) {
            breaker.halfOpen();
        }
    }

    void success() {
        breaker.recordSuccess();
    }

    void failure() {
        breaker.recordFailure();
    }

    private void changed(String state) {
        if (state.equals("open")) {
            LOG.warn("circuit of pod_id={} is open: forwards to it fail for {} ms", peer,
                    settings.circuitOpenDelay().toMillis());
        } else {
            LOG.info("circuit of pod_id={} is {}", peer, state);
        }
        listener.circuitChanged(peer, state);
    }
}
