package io.relaymesh.adapters.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPubSub;

import java.io.IOException;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A Redis Pub/Sub subscription kept alive by a platform thread of its own (it blocks in a socket
 * read for its whole life): open a dedicated connection, subscribe, read until the subscription
 * ends, then connect and subscribe again with a bounded exponential back-off, until closed. The
 * kill switch and the Pub/Sub ingestion share it; what they subscribe to, what they do with
 * messages and how they log a loss is theirs. Thread-safe.
 */
final class SubscriptionLoop {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionLoop.class);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    /** The callbacks of one connection attempt; it is confirmed once the server acknowledged it. */
    abstract static class Attempt extends JedisPubSub {
        private volatile boolean confirmed;

        /** Call from onSubscribe / onPSubscribe when every channel or pattern is subscribed. */
        protected final void confirmed() {
            confirmed = true;
        }

        final boolean isConfirmed() {
            return confirmed;
        }
    }

    /** Told after each attempt that ended (the loop goes on unless closed). */
    interface Losses {
        /**
         * @param everConfirmed whether any attempt so far was confirmed (a lost subscription, not
         *                      one never made)
         * @param failure       why it ended, or null when the server ended it without an error
         * @param first         the first loss since the last confirmed attempt (log it; later
         *                      ones only at debug)
         * @param retryIn       the pause before the next attempt
         */
        void lost(boolean everConfirmed, RuntimeException failure, boolean first, Duration retryIn);
    }

    private final RedisConnections redis;
    private final Function<Boolean, Attempt> attempts;
    private final BiConsumer<Attempt, Connection> subscribe;
    private final Losses losses;
    private final Thread reader;
    private volatile boolean closed;
    private volatile Connection connection;

    /**
     * @param attempts  a new attempt, told whether an earlier one was confirmed (a resubscription)
     * @param subscribe subscribes the attempt on the connection and blocks while it lasts, e.g.
     *                  {@code (a, c) -> a.proceed(c, channel)}
     */
    SubscriptionLoop(RedisConnections redis, String threadName, Function<Boolean, Attempt> attempts,
                     BiConsumer<Attempt, Connection> subscribe, Losses losses) {
        this.redis = redis;
        this.attempts = attempts;
        this.subscribe = subscribe;
        this.losses = losses;
        this.reader = Thread.ofPlatform().daemon().name(threadName).unstarted(this::run);
    }

    void start() {
        reader.start();
    }

    boolean isClosed() {
        return closed;
    }

    /** Drops the current connection (a silent one): the loop connects and subscribes again. */
    void reconnect() {
        disconnect(connection);
    }

    /** Stops: no attempt starts after this; waits up to {@code join} for the reader to end. Idempotent. */
    void close(Duration join) {
        if (closed) {
            return;
        }
        closed = true;
        reader.interrupt();
        disconnect(connection);
        try {
            reader.join(join);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        boolean everConfirmed = false;
        boolean lossReported = false;
        while (!closed) {
            Attempt attempt = attempts.apply(everConfirmed);
            RuntimeException failure = null;
            try {
                Connection opened = redis.openSubscriberConnection();
                connection = opened;
                if (closed) {
                    break;
                }
                subscribe.accept(attempt, opened);
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                disconnect(connection);
                connection = null;
            }
            if (closed) {
                break;
            }
            if (attempt.isConfirmed()) {
                everConfirmed = true;
                backoff = FIRST_BACKOFF;
                lossReported = false;
            }
            losses.lost(everConfirmed, failure, !lossReported, backoff);
            lossReported = true;
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                break; // only close interrupts the reader
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private static void disconnect(Connection toClose) {
        if (toClose == null) {
            return;
        }
        try {
            // Closes the socket without flushing, so it cannot block and it wakes a blocked reader.
            toClose.forceDisconnect();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing a subscriber connection: {}", e.toString());
        }
    }
}
