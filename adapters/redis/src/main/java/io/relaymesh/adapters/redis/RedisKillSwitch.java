package io.relaymesh.adapters.redis;

import io.relaymesh.adapters.redis.RedisConnections.Retry;
import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.KillSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The kill switch over Redis pub/sub: a request is PUBLISHed on {@code {prefix}session_kill:{pod id}}
 * of the victim's pod as {@code {"session_key":…,"victim":"pod/connection"}}; each {@link #listen}
 * is a dedicated SUBSCRIBEd connection ({@link KillSwitchSubscription}) that is active when
 * {@code listen} returns and resubscribes by itself after a connection loss. Requests sent while a
 * listener is disconnected are lost (pub/sub), which the caller's bounded wait for the lock covers.
 * A watchdog PINGs every subscription each {@code pingInterval} and drops one that has not answered
 * for three intervals, so a silently dead connection is noticed too. Thread-safe.
 */
public final class RedisKillSwitch implements KillSwitch, AutoCloseable {
    static final String PORT = "kill_switch";
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(RedisKillSwitch.class);

    /** A listener's handle: closing it stops the listening. */
    public interface Subscription extends AutoCloseable {
        /** Whether the subscription is confirmed by Redis right now (false while reconnecting). */
        boolean isSubscribed();

        /** Waits until subscribed (again); false when {@code timeout} passes first or it was closed. */
        boolean awaitSubscribed(Duration timeout);

        @Override
        void close();
    }

    private final RedisConnections redis;
    private final Duration pingInterval;
    private final Set<KillSwitchSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watchdog;

    public RedisKillSwitch(RedisConnections redis) {
        this(redis, DEFAULT_PING_INTERVAL);
    }

    public RedisKillSwitch(RedisConnections redis, Duration pingInterval) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.pingInterval = Objects.requireNonNull(pingInterval, "pingInterval");
        if (pingInterval.isNegative() || pingInterval.isZero()) {
            throw new IllegalArgumentException("ping interval must be positive, got: " + pingInterval);
        }
        this.watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("kill-switch-watchdog").factory());
        Duration pongDeadline = pingInterval.multipliedBy(3);
        watchdog.scheduleWithFixedDelay(() -> subscriptions.forEach(s -> s.checkHealth(pongDeadline)),
                pingInterval.toMillis(), pingInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One PUBLISH; a request for a pod nobody listens for is dropped by Redis. */
    @Override
    public boolean requestKill(KillRequest request) {
        Objects.requireNonNull(request, "request");
        String channel = channel(request.victim().pod());
        String message = KillRequestJson.encode(request);
        // A duplicate after a resend is harmless: the victim is closed once.
        long receivers = redis.call(PORT, "request kill of " + request.key(), Retry.ON_STALE_CONNECTION,
                client -> client.publish(channel, message));
        if (receivers == 0) {
            LOG.debug("kill request had no listener; pod_id={} session_key={}", request.victim().pod(), request.key());
        }
        // PUBLISH counts the subscribers that got it: zero means the victim's pod is not listening.
        return receivers > 0;
    }

    /**
     * Subscribes a dedicated connection to {@code pod}'s channel; returns once Redis confirmed it.
     *
     * @throws PortUnavailableException when the subscription is not confirmed within twice the timeout
     */
    @Override
    public Subscription listen(PodId pod, Consumer<KillRequest> handler) {
        Objects.requireNonNull(pod, "pod_id");
        Objects.requireNonNull(handler, "handler");
        String channel = channel(pod);
        KillSwitchSubscription subscription = new KillSwitchSubscription(redis, pod, channel, handler, subscriptions::remove);
        subscriptions.add(subscription);
        subscription.start();
        Duration wait = redis.settings().timeout().multipliedBy(2);
        if (!subscription.awaitFirstSubscription(wait)) {
            RuntimeException failure = subscription.lastFailure();
            subscription.close();
            throw new PortUnavailableException(PORT, "subscribing to " + channel + " on redis " + redis.settings().address()
                    + " was not confirmed within " + wait.toMillis() + " ms"
                    + (failure == null ? "" : ": " + failure.getMessage()), failure);
        }
        return subscription;
    }

    /** Subscriptions currently open (subscribed or reconnecting). */
    public int openSubscriptions() {
        return subscriptions.size();
    }

    /** Closes every listener and the watchdog; the shared {@link RedisConnections} stay open. Idempotent. */
    @Override
    public void close() {
        watchdog.shutdownNow();
        List.copyOf(subscriptions).forEach(KillSwitchSubscription::close);
    }

    private String channel(PodId pod) {
        return redis.settings().key("session_kill:" + pod.value());
    }
}
