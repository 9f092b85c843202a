package io.relaymesh.application.dialect.topics;

import io.relaymesh.domain.topics.TopicMessage;
import io.relaymesh.application.connection.ClientConnection;
import io.relaymesh.application.connection.ConnectionHub;
import io.relaymesh.application.connection.ErrorCode;
import io.relaymesh.application.connection.FrameRateLimiter;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.connection.Principal;
import io.relaymesh.application.connection.ServerMessage;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionKey;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The long-poll requests waiting on this pod, by topic. While a topic has waiters, one listener
 * joins its route key like a connection would, so the core delivers the topic's envelopes to this
 * pod whichever pod published them, and each envelope wakes the topic's waiters. A listener stays
 * joined for {@code linger} after its last waiter, so back-to-back polls do not register and
 * unregister the route each time. Thread-safe.
 */
public final class TopicWaiters implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TopicWaiters.class.getName());

    /** One waiting poll: the first envelope of any of its topics, or null at its deadline. */
    public static final class Waiter {
        // Envelopes that come while the poll is still reading the store wait here: none is missed.
        private final ArrayBlockingQueue<TopicMessage> handoff = new ArrayBlockingQueue<>(64);
        private volatile boolean done;

        void wake(TopicMessage message) {
            if (!done) {
                handoff.offer(message);
            }
        }

        /** Waits up to {@code timeout} for an envelope; null when none came. */
        public TopicMessage next(Duration timeout) throws InterruptedException {
            return handoff.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        }
    }

    private final ConnectionHub hub;
    private final Duration linger;
    private final ConcurrentHashMap<String, Listener> listeners = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();

    public TopicWaiters(ConnectionHub hub, Duration linger) {
        this.hub = hub;
        this.linger = linger;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("topic-waiters")
                .factory());
        long period = Math.max(1, linger.toMillis() / 2);
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Registers a waiter on every topic; when this returns, an envelope of any of them published
     * from now on, on any pod, wakes it.
     *
     * @throws RuntimeException when the route registry cannot be written
     */
    public Waiter await(List<String> topics) {
        Waiter waiter = new Waiter();
        waiting.incrementAndGet();
        for (String topic : topics) {
            while (true) {
                Listener listener = listeners.computeIfAbsent(topic, Listener::new);
                if (listener.add(waiter)) {
                    break;
                }
                listeners.remove(topic, listener); // swept meanwhile: take a fresh one
            }
        }
        return waiter;
    }

    public void cancel(Waiter waiter, List<String> topics) {
        if (!waiter.done) {
            waiting.decrementAndGet();
        }
        waiter.done = true;
        for (String topic : topics) {
            Listener listener = listeners.get(topic);
            if (listener != null) {
                listener.remove(waiter);
            }
        }
    }

    /** Polls waiting on this pod now (a metric). */
    public int waiting() {
        return waiting.get();
    }

    /** Topics this pod listens to for waiters (for tests and metrics). */
    public int listening() {
        return listeners.size();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Listener listener : listeners.values()) {
            try {
                if (listener.retireIfIdle(now, linger.toNanos())) {
                    listeners.remove(listener.topic, listener);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "topic " + listener.topic + ": could not leave its route; it will expire", e);
            }
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        for (Listener listener : listeners.values()) {
            listener.retireIfIdle(Long.MAX_VALUE, 0);
        }
    }

    /** A topic's stand-in connection: joined to the topic's route key, it hands envelopes to waiters. */
    private final class Listener implements ClientConnection {
        private final String topic;
        private final ConnectionId id = new ConnectionId("longpoll-" + UUID.randomUUID());
        private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
        private LocalSession session;
        private boolean retired;
        private long idleSinceNanos = System.nanoTime();

        Listener(String topic) {
            this.topic = topic;
        }

        /** False when this listener was retired: the caller takes a new one. */
        synchronized boolean add(Waiter waiter) {
            if (retired) {
                return false;
            }
            // The waiter first: an envelope delivered as soon as the route is joined must find it.
            waiters.add(waiter);
            if (session == null) {
                LocalSession joining = new LocalSession(this, new Stand(topic, id), hub.self(), System.currentTimeMillis(),
                        new FrameRateLimiter(1, System.nanoTime()));
                try {
                    hub.join(joining, Topics.routeKey(topic));
                } catch (RuntimeException e) {
                    waiters.remove(waiter);
                    throw e;
                }
                session = joining;
            }
            return true;
        }

        synchronized void remove(Waiter waiter) {
            if (waiters.remove(waiter) && waiters.isEmpty()) {
                idleSinceNanos = System.nanoTime();
            }
        }

        synchronized boolean retireIfIdle(long nowNanos, long lingerNanos) {
            if (retired || !waiters.isEmpty() || nowNanos - idleSinceNanos < lingerNanos) {
                return false;
            }
            retired = true;
            if (session != null) {
                hub.leave(session, Topics.routeKey(topic));
            }
            return true;
        }

        @Override
        public ConnectionId id() {
            return id;
        }

        @Override
        public Offer offer(ServerMessage message) {
            if (message instanceof ServerMessage.EventFrame frame) {
                TopicMessage topicMessage = Topics.message(frame.event());
                if (topicMessage != null) {
                    for (Waiter waiter : new ArrayList<>(waiters)) {
                        waiter.wake(topicMessage);
                    }
                }
            }
            return Offer.QUEUED;
        }

        @Override
        public void fail(ErrorCode code, String message) {
        }

        @Override
        public void close(int closeCode, String reason) {
        }
    }

    /** Who the stand-in connection is: nobody's session, receives everything of its topic. */
    private record Stand(String topic, ConnectionId id) implements Principal {
        public SessionKey sessionKey() {
            return new SessionKey("session:longpoll:" + id.value());
        }

        public RouteKey baseRoute() {
            return Topics.routeKey(topic);
        }

        @Override
        public boolean exclusive() {
            return false;
        }

        public Instant expiresAt() {
            return Instant.MAX;
        }

        public GatewayMetrics.Kind kind() {
            return GatewayMetrics.Kind.user;
        }
    }
}
