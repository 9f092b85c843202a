package io.relaymesh.adapters.grpc;

import io.relaymesh.domain.model.PodId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls a listener and logs what it throws, so a faulty metrics hook cannot break delivery. */
final class GuardedListener implements ForwarderListener {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedListener.class);

    private final ForwarderListener delegate;

    GuardedListener(ForwarderListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void peerAdded(PodId peer) {
        guard(() -> delegate.peerAdded(peer));
    }

    @Override
    public void peerWarmed(PodId peer) {
        guard(() -> delegate.peerWarmed(peer));
    }

    @Override
    public void streamOpened(PodId peer) {
        guard(() -> delegate.streamOpened(peer));
    }

    @Override
    public void batchSent(PodId peer, int events, long latencyNanos) {
        guard(() -> delegate.batchSent(peer, events, latencyNanos));
    }

    @Override
    public void batchFailed(PodId peer, Throwable cause) {
        guard(() -> delegate.batchFailed(peer, cause));
    }

    @Override
    public void retried(PodId peer, int attempt) {
        guard(() -> delegate.retried(peer, attempt));
    }

    @Override
    public void circuitChanged(PodId peer, String state) {
        guard(() -> delegate.circuitChanged(peer, state));
    }

    private static void guard(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("forwarder listener failed", e);
        }
    }
}
