package io.relaymesh.adapters.grpc;

import dev.failsafe.CircuitBreaker;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.proto.v1.DeliverRequest;
import io.relaymesh.proto.v1.DeliverResponse;
import io.relaymesh.proto.v1.PodDeliveryGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Sends batches to one peer: resolves its address, calls Deliver with a deadline through a retry
 * policy and a circuit breaker of its own, and settles the batch's forwards. A retry resends only
 * the events the peer has not accepted yet: after a failed call, all of them; after an answer
 * that left some out, only those. Only failed calls count against the circuit. The probe call of
 * a half-open circuit waits for the connection (within its deadline) rather than failing at once.
 *
 * <p>Used by one sending thread at a time (its {@link PeerLane}); {@link #circuitRejects()},
 * {@link #shutdown()} and {@link #awaitClosed} may be called from any thread.
 */
final class PeerSender {
    private static final Logger LOG = LoggerFactory.getLogger(PeerSender.class);
    private static final Set<Status.Code> RETRIABLE = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED, Status.Code.INTERNAL, Status.Code.UNKNOWN);

    private final PodId peer;
    private final PodId self;
    private final PodDirectory directory;
    private final GrpcSettings settings;
    private final ForwarderListener listener;
    private final PeerChannel channel;
    private final CircuitBreaker<Integer> breaker;
    private final FailsafeExecutor<Integer> failsafe;
    private volatile boolean shutdown;

    PeerSender(PodId peer, PodId self, PodDirectory directory, GrpcSettings settings, ForwarderListener listener,
               PeerCredentials credentials) {
        this.peer = peer;
        this.self = self;
        this.directory = directory;
        this.settings = settings;
        this.listener = listener;
        this.channel = new PeerChannel(peer, credentials);
        // Only failed calls count against the circuit: a peer that answers (even "not accepted") is up.
        this.breaker = CircuitBreaker.<Integer>builder()
                .handle(StatusRuntimeException.class)
                .withFailureThreshold(settings.circuitFailureThreshold())
                .withDelay(settings.circuitOpenDelay())
                .withSuccessThreshold(settings.circuitSuccessThreshold())
                .onOpen(e -> circuitChanged("open"))
                .onHalfOpen(e -> circuitChanged("half_open"))
                .onClose(e -> circuitChanged("closed"))
                .build();
        // A result is the number of events still not accepted: retry those, and retriable failures.
        RetryPolicyBuilder<Integer> retry = RetryPolicy.<Integer>builder()
                .handleIf(PeerSender::retriable)
                .handleResultIf(unaccepted -> unaccepted != null && unaccepted > 0)
                .abortIf((result, failure) -> shutdown)
                .withMaxAttempts(settings.retryMaxAttempts())
                .withBackoff(settings.retryInitialDelay(), settings.retryMaxDelay())
                .onRetry(e -> listener.retried(peer, e.getAttemptCount()));
        if (settings.retryJitterFactor() > 0) {
            retry.withJitter(settings.retryJitterFactor());
        }
        this.failsafe = Failsafe.with(retry.build(), breaker);
    }

    /** Whether the circuit is open and still within its delay: forwards to this peer fail at once. */
    boolean circuitRejects() {
        return breaker.isOpen() && !breaker.getRemainingDelay().isZero();
    }

    /** Sends {@code batch} and completes each of its forwards; never throws. */
    void send(List<PendingForward> batch) {
        List<Envelope> events = new ArrayList<>();
        for (PendingForward forward : batch) {
            if (!forward.future().isDone()) {
                events.addAll(forward.events());
            }
        }
        if (events.isEmpty()) {
            return;
        }
        Set<String> accepted = new HashSet<>();
        PortUnavailableException failure = null;
        try {
            PodDeliveryGrpc.PodDeliveryBlockingStub stub = channel.stubFor(liveAddress());
            failsafe.get(() -> attempt(stub, events, accepted));
        } catch (PortUnavailableException e) {
            failure = e;
        } catch (CircuitBreakerOpenException e) {
            failure = new PortUnavailableException("grpc", "the circuit of pod " + peer + " is open", e);
        } catch (StatusRuntimeException e) {
            failure = new PortUnavailableException("grpc", "pod " + peer + " did not take a batch of " + events.size()
                    + " events: " + e.getStatus().getCode() + describe(e.getStatus()), e);
        } catch (RuntimeException e) {
            failure = new PortUnavailableException("grpc", "forwarding to pod " + peer + " failed", e);
        }
        settle(batch, accepted, failure);
    }

    private String liveAddress() {
        Optional<String> address;
        try {
            address = directory.address(peer);
        } catch (RuntimeException e) {
            throw new PortUnavailableException("grpc", "the address of pod " + peer + " could not be looked up", e);
        }
        return address.orElseThrow(() -> new PortUnavailableException("grpc", "pod " + peer + " has no live address",
                null));
    }

    /** One Deliver call with the events not accepted yet; returns how many are still not accepted. */
    private int attempt(PodDeliveryGrpc.PodDeliveryBlockingStub stub, List<Envelope> events, Set<String> accepted) {
        DeliverRequest.Builder request = DeliverRequest.newBuilder().setFromPodId(self.value());
        Set<String> pending = new HashSet<>();
        for (Envelope event : events) {
            if (!accepted.contains(event.id())) {
                request.addEvents(EventMessages.toProto(event));
                pending.add(event.id());
            }
        }
        channel.reconnectIfFailing();
        PodDeliveryGrpc.PodDeliveryBlockingStub call =
                stub.withDeadlineAfter(settings.deadline().toNanos(), TimeUnit.NANOSECONDS);
        if (breaker.isHalfOpen()) {
            // A channel whose connection failed keeps failing calls at once until it reconnects;
            // the probe of a half-open circuit waits (within the deadline) for that reconnection
            // instead, or a peer that is back would keep its circuit open.
            call = call.withWaitForReady();
        }
        long start = System.nanoTime();
        DeliverResponse response = call.deliver(request.build());
        listener.batchSent(peer, request.getEventsCount(), System.nanoTime() - start);
        for (String id : response.getAcceptedEventIdsList()) {
            if (pending.remove(id)) {
                accepted.add(id);
            }
        }
        return pending.size();
    }

    /**
     * Completes each forward with the ids the peer accepted. A forward that is not wholly accepted
     * fails when the last attempt failed (the peer could not be reached), and otherwise reports
     * the part the peer accepted.
     */
    private void settle(List<PendingForward> batch, Set<String> accepted, PortUnavailableException failure) {
        if (failure != null) {
            // Reported before the forwards complete, so metrics are current when callers react.
            LOG.debug("forward to pod_id={} failed: {}", peer, failure.getMessage());
            listener.batchFailed(peer, failure);
        }
        for (PendingForward forward : batch) {
            Set<String> ids = new HashSet<>();
            Set<String> mine = new HashSet<>();
            for (Envelope event : forward.events()) {
                ids.add(event.id());
                if (accepted.contains(event.id())) {
                    mine.add(event.id());
                }
            }
            if (failure == null || mine.size() == ids.size()) {
                forward.future().complete(Set.copyOf(mine));
            } else {
                forward.future().completeExceptionally(failure);
            }
        }
    }

    /** Whether the channel to the peer is open (for tests and idle accounting). */
    boolean channelOpen() {
        return channel.isOpen();
    }

    /** Stops retrying and starts closing the channel. */
    void shutdown() {
        shutdown = true;
        channel.shutdown();
    }

    /** Waits up to {@code timeout} for the call in flight, then cancels it. */
    void awaitClosed(Duration timeout) {
        channel.awaitClosed(timeout);
    }

    private void circuitChanged(String state) {
        if (state.equals("open")) {
            LOG.warn("circuit of pod_id={} is open: forwards to it fail for {} ms", peer,
                    settings.circuitOpenDelay().toMillis());
        } else {
            LOG.info("circuit of pod_id={} is {}", peer, state);
        }
        listener.circuitChanged(peer, state);
    }

    private static boolean retriable(Throwable failure) {
        return failure instanceof StatusRuntimeException e && RETRIABLE.contains(e.getStatus().getCode());
    }

    private static String describe(Status status) {
        return status.getDescription() == null ? "" : " (" + status.getDescription() + ")";
    }
}
