package io.relaymesh.adapters.grpc;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.PodId;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * Settles forward chunks for one peer, retrying what the peer has not taken through a Failsafe
 * retry policy of the peer's own: after a failed attempt (its stream broke or could not open, its
 * batch was not acknowledged in time, the peer could not deliver it) every event of the chunk not
 * accepted yet is sent again, on whatever stream is open by then; after an acknowledgement that
 * left some out, only those. With back-off, jitter and at most {@code retryMaxAttempts} attempts.
 * What a retry cannot fix (UNAUTHENTICATED and other refusals, no live address, an open circuit,
 * a closing forwarder, a chunk given up) is not retried. A chunk not wholly accepted fails when
 * its last attempt failed, and otherwise reports the part the peer accepted.
 *
 * <p>The common case costs no thread: a chunk whose first attempt is wholly accepted completes
 * in the acknowledgement's callback. Only a chunk that needs retrying gets a virtual thread, which
 * runs the policy (and sleeps its back-offs). Thread-safe.
 */
final class PeerRetries {
    private static final java.util.Set<Status.Code> RETRIABLE = java.util.Set.of(Status.Code.UNAVAILABLE,
            Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED,
            Status.Code.INTERNAL, Status.Code.UNKNOWN, Status.Code.CANCELLED);

    /** Where a retry goes: the peer's lane. */
    @FunctionalInterface
    interface Lane {
        /** Queues {@code attempt} ahead of new forwards; throws {@link PortUnavailableException} once the lane is closed. */
        void resend(PendingForward attempt);
    }

    private final PodId peer;
    private final ForwarderListener listener;
    private final FailsafeExecutor<Integer> failsafe;
    private volatile boolean shutdown;

    PeerRetries(PodId peer, GrpcSettings settings, ForwarderListener listener) {
        this.peer = peer;
        this.listener = listener;
        // A result is the number of events still not accepted: retry those, and retriable failures.
        RetryPolicyBuilder<Integer> retry = RetryPolicy.<Integer>builder()
                .handleIf(PeerRetries::retriable)
                .handleResultIf(unaccepted -> unaccepted != null && unaccepted > 0)
                .abortIf((result, failure) -> shutdown)
                .withMaxAttempts(settings.retryMaxAttempts())
                .withBackoff(settings.retryInitialDelay(), settings.retryMaxDelay())
                .onRetry(e -> listener.retried(peer, e.getAttemptCount()));
        if (settings.retryJitterFactor() > 0) {
            retry.withJitter(settings.retryJitterFactor());
        }
        this.failsafe = Failsafe.with(retry.build());
    }

    /**
     * Completes {@code chunk}'s result once its first attempt (queued already) and any retries are
     * settled. An empty chunk (a rehearsal) completes, empty, whatever becomes of its attempt.
     */
    void follow(ForwardChunk chunk, Lane lane) {
        chunk.attempt().future().whenComplete((ids, error) -> {
            if (chunk.result().isDone()) {
                return;
            }
            if (chunk.size() == 0) {
                chunk.result().complete(Set.of());
                return;
            }
            if (error == null && wholly(chunk, ids)) {
                chunk.result().complete(ids);
                return;
            }
            Thread.ofVirtual().name("relaymesh-grpc-retry-" + peer).start(() -> retry(chunk, lane, ids, error));
        });
    }

    /** Stops retrying: attempts under way finish, no new one starts. */
    void shutdown() {
        shutdown = true;
    }

    private void retry(ForwardChunk chunk, Lane lane, Set<String> firstIds, Throwable firstError) {
        Set<String> accepted = new HashSet<>();
        try {
            failsafe.get(context -> {
                Set<String> ids;
                if (context.isFirstAttempt()) {
                    // The first attempt has run already: let the policy judge its outcome.
                    if (firstError != null) {
                        throw unwrap(firstError);
                    }
                    ids = firstIds;
                } else {
                    PendingForward attempt = chunk.retry(remaining(chunk, accepted));
                    lane.resend(attempt);
                    ids = await(attempt);
                }
                return take(chunk, ids, accepted);
            });
            chunk.result().complete(Set.copyOf(accepted));
        } catch (RuntimeException e) {
            PortUnavailableException failure = describe(e, chunk);
            if (wholly(chunk, accepted)) {
                chunk.result().complete(Set.copyOf(accepted));
            } else if (chunk.result().completeExceptionally(failure)) {
                listener.batchFailed(peer, failure);
            }
        }
    }

    /** Adds the ids of {@code chunk} among {@code ids} to {@code accepted}; returns how many events are left. */
    private static int take(ForwardChunk chunk, Set<String> ids, Set<String> accepted) {
        int left = 0;
        for (Envelope event : chunk.events()) {
            if (ids.contains(event.id())) {
                accepted.add(event.id());
            } else if (!accepted.contains(event.id())) {
                left++;
            }
        }
        return left;
    }

    private static boolean wholly(ForwardChunk chunk, Set<String> ids) {
        for (Envelope event : chunk.events()) {
            if (!ids.contains(event.id())) {
                return false;
            }
        }
        return true;
    }

    private static List<Envelope> remaining(ForwardChunk chunk, Set<String> accepted) {
        List<Envelope> left = new ArrayList<>();
        for (Envelope event : chunk.events()) {
            if (!accepted.contains(event.id())) {
                left.add(event);
            }
        }
        return left;
    }

    private static Set<String> await(PendingForward attempt) {
        try {
            return attempt.future().join();
        } catch (CompletionException e) {
            throw unwrap(e);
        }
    }

    private static RuntimeException unwrap(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
    }

    private PortUnavailableException describe(RuntimeException e, ForwardChunk chunk) {
        Throwable cause = e instanceof FailsafeException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof PortUnavailableException unavailable) {
            return unavailable;
        }
        if (cause instanceof StatusRuntimeException status) {
            return new PortUnavailableException("grpc", "pod " + peer + " did not take a batch of " + chunk.size()
                    + " events: " + status.getStatus().getCode() + describe(status.getStatus()), status);
        }
        return new PortUnavailableException("grpc", "forwarding to pod " + peer + " failed", cause);
    }

    private static boolean retriable(Throwable failure) {
        return failure instanceof StatusRuntimeException e && RETRIABLE.contains(e.getStatus().getCode());
    }

    /** Whether a stream that ended with {@code status} may be opened again at once, or only for new work. */
    static boolean retriable(Status status) {
        return RETRIABLE.contains(status.getCode());
    }

    private static String describe(Status status) {
        return status.getDescription() == null ? "" : " (" + status.getDescription() + ")";
    }
}
