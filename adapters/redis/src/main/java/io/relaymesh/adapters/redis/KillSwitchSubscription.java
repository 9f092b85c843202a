package io.relaymesh.adapters.redis;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.KillSwitch.KillRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One pod's kill-switch listener: a dedicated connection SUBSCRIBEd to the pod's channel, read by a
 * platform thread of its own (it blocks in a socket read for its whole life). Requests go to the
 * handler on one virtual thread, in the order received, so a slow handler never stalls the reader.
 * When the connection drops (Redis restarted, network cut, or no PONG to the watchdog's PINGs) its
 * {@link SubscriptionLoop} connects and subscribes again with a bounded exponential back-off; this
 * class logs the loss and the recovery. Thread-safe: state shared with other threads is volatile, and after the subscription
 * only the watchdog writes to the connection.
 */
final class KillSwitchSubscription implements RedisKillSwitch.Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(KillSwitchSubscription.class);
    private static final Duration POLL = Duration.ofMillis(10);

    private final RedisConnections redis;
    private final PodId pod;
    private final String channel;
    private final Consumer<KillRequest> handler;
    private final Consumer<KillSwitchSubscription> onClose;
    private final ExecutorService handlerThread;
    private final SubscriptionLoop loop;
    private final CountDownLatch firstSubscription = new CountDownLatch(1);
    private volatile boolean closed;
    /** The subscriber while its subscription is confirmed; null while (re)connecting. */
    private volatile Subscriber current;
    private volatile long lastPongNanos;
    private volatile RuntimeException lastFailure;

    KillSwitchSubscription(RedisConnections redis, PodId pod, String channel, Consumer<KillRequest> handler,
                           Consumer<KillSwitchSubscription> onClose) {
        this.redis = redis;
        this.pod = pod;
        this.channel = channel;
        this.handler = handler;
        this.onClose = onClose;
        this.handlerThread = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("kill-switch-handler-" + pod).factory());
        this.loop = new SubscriptionLoop(redis, "kill-switch-subscriber-" + pod, Subscriber::new,
                (subscriber, connection) -> subscriber.proceed(connection, channel), this::lost);
    }

    void start() {
        loop.start();
    }

    /** Waits until the first subscription is confirmed; false on timeout. */
    boolean awaitFirstSubscription(Duration timeout) {
        try {
            return firstSubscription.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Why the last connection or subscription attempt failed, if one did. */
    RuntimeException lastFailure() {
        return lastFailure;
    }

    @Override
    public boolean isSubscribed() {
        return current != null && !closed;
    }

    @Override
    public boolean awaitSubscribed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isSubscribed()) {
            if (closed || System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** PINGs the subscribed connection, or drops it when the last PONG is older than {@code pongDeadline}. */
    void checkHealth(Duration pongDeadline) {
        Subscriber subscriber = current;
        if (subscriber == null || closed) {
            return;
        }
        if (System.nanoTime() - lastPongNanos > pongDeadline.toNanos()) {
            LOG.warn("kill switch subscription silent for over {} ms, reconnecting; pod_id={} channel={}",
                    pongDeadline.toMillis(), pod, channel);
            loop.reconnect();
            return;
        }
        try {
            subscriber.ping();
        } catch (RuntimeException e) {
            // The reader sees the same broken connection and reconnects.
            LOG.debug("kill switch ping failed; pod_id={}: {}", pod, e.toString());
        }
    }

    /** Stops listening: nothing is handed to the handler once this returns. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.close(redis.settings().timeout().multipliedBy(2));
        handlerThread.shutdown();
        onClose.accept(this);
    }

    /** After each attempt that ended: not subscribed until the next one is confirmed. */
    private void lost(boolean wasSubscribed, RuntimeException failure, boolean first, Duration retryIn) {
        current = null;
        if (failure != null) {
            lastFailure = failure;
        }
        if (first) {
            LOG.warn("kill switch {}, retrying with back-off up to {} ms; pod_id={} channel={}: {}",
                    wasSubscribed ? "subscription lost" : "cannot subscribe", SubscriptionLoop.MAX_BACKOFF.toMillis(),
                    pod, channel, lastFailure == null ? "unsubscribed" : lastFailure.toString());
        } else {
            LOG.debug("kill switch still cannot subscribe, next attempt in {} ms; pod_id={}", retryIn.toMillis(), pod);
        }
    }

    private void deliver(String message) {
        if (closed) {
            return;
        }
        Optional<KillRequest> request = KillRequestJson.decode(message);
        if (request.isEmpty()) {
            LOG.warn("dropping malformed kill request; pod_id={} channel={} message={}", pod, channel, message);
            return;
        }
        try {
            handler.accept(request.get());
        } catch (RuntimeException e) {
            LOG.warn("kill request handler failed; pod_id={} session_key={} connection_id={}", pod,
                    request.get().key(), request.get().victim().connection(), e);
        }
    }

    /** The Jedis callbacks of one connection attempt; they run on the reader thread. */
    private final class Subscriber extends SubscriptionLoop.Attempt {
        private final boolean resubscription;

        Subscriber(boolean resubscription) {
            this.resubscription = resubscription;
        }

        @Override
        public void onSubscribe(String subscribedChannel, int subscribedChannels) {
            confirmed();
            lastPongNanos = System.nanoTime();
            current = this;
            if (resubscription) {
                LOG.info("kill switch resubscribed; pod_id={} channel={}", pod, channel);
            }
            firstSubscription.countDown();
        }

        @Override
        public void onMessage(String fromChannel, String message) {
            if (closed) {
                return;
            }
            try {
                handlerThread.execute(() -> deliver(message));
            } catch (RejectedExecutionException closing) {
                // close() ran meanwhile: nothing is delivered any more.
            }
        }

        @Override
        public void onPong(String pattern) {
            lastPongNanos = System.nanoTime();
        }
    }
}
