package io.relaymesh.adapters.grpc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/** Calls a server listener and logs what it throws, so a faulty metrics hook cannot break serving. */
final class GuardedServerListener implements DeliveryServerListener {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedServerListener.class);

    private final DeliveryServerListener delegate;

    GuardedServerListener(DeliveryServerListener delegate) {
        this.delegate = Objects.requireNonNull(delegate, "listener");
    }

    @Override
    public void unauthenticated(String reason) {
        try {
            delegate.unauthenticated(reason);
        } catch (RuntimeException e) {
            LOG.warn("delivery server listener failed", e);
        }
    }

    @Override
    public void eventRejected(String reason) {
        try {
            delegate.eventRejected(reason);
        } catch (RuntimeException e) {
            LOG.warn("delivery server listener failed", e);
        }
    }
}
