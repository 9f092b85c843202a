package io.relaymesh.bootstrap;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.KillSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * This pod's subscription to kill requests, taken in the background until it succeeds: a pod
 * that starts while Redis is down still starts (and reports not ready) instead of exiting.
 * Thread-safe.
 */
final class KillListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KillListener.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Thread subscriber;
    private volatile AutoCloseable subscription;
    private volatile boolean closed;

    KillListener(KillSwitch killSwitch, PodId self, Consumer<KillSwitch.KillRequest> handler) {
        if (!trySubscribe(killSwitch, self, handler, true)) {
            this.subscriber = Thread.ofVirtual().name("relaymesh-kill-subscribe").start(() -> {
                while (!closed && subscription == null) {
                    try {
                        Thread.sleep(RETRY.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (!closed) {
                        trySubscribe(killSwitch, self, handler, false);
                    }
                }
            });
        } else {
            this.subscriber = null;
        }
    }

    private boolean trySubscribe(KillSwitch killSwitch, PodId self, Consumer<KillSwitch.KillRequest> handler,
                                 boolean first) {
        try {
            subscription = killSwitch.listen(self, handler);
            if (!first) {
                LOG.info("listening for session kill requests again");
            }
            return true;
        } catch (RuntimeException e) {
            if (first) {
                LOG.warn("cannot listen for session kill requests yet ({}); retrying every {} s", e.getMessage(),
                        RETRY.toSeconds());
            }
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        if (subscriber != null) {
            subscriber.interrupt();
        }
        AutoCloseable current = subscription;
        if (current != null) {
            try {
                current.close();
            } catch (Exception e) {
                LOG.debug("kill listener close failed", e);
            }
        }
    }
}
