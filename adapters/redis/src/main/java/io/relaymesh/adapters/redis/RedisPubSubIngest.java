package io.relaymesh.adapters.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relaymesh.adapters.redis.RedisConnections.Retry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.params.SetParams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Inbound events from Redis Pub/Sub: a dedicated connection PSUBSCRIBEd to the given patterns,
 * read by a platform thread of its own, reconnecting with a bounded back-off. Every pod subscribes,
 * and Pub/Sub hands every message to every subscriber, so each message is claimed first: {@code SET
 * pubsub:{sha256(channel, message)} NX PX dedup}; only the pod whose SET succeeds hands it on (and
 * the core's delivery forwards it to the other pods holding its audience). A message must be a JSON
 * object with a string {@code type}; others are dropped with a log line and counted.
 *
 * <p>Pub/Sub is at-most-once: what is published while this connection is down (a pod or Redis
 * restarting) is lost for this pod, and lost for everyone when no pod is subscribed. Identical
 * messages on one channel within the dedup window count as one. Thread-safe.
 */
public final class RedisPubSubIngest implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisPubSubIngest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    private static final String PORT = "pubsub_ingest";

    /** Takes a claimed message: its channel and its text, a JSON object with a type. */
    public interface Handler {
        void handle(String channel, String frame);
    }

    /** Told what became of each message: {@code claimed}, {@code duplicate}, {@code invalid} or {@code failed}. */
    public interface Outcomes {
        void counted(String outcome);
    }

    private final RedisConnections redis;
    private final String[] patterns;
    private final Duration dedup;
    private final Handler handler;
    private final Outcomes outcomes;
    private final ExecutorService handlerThread;
    private final Thread reader;
    private volatile boolean closed;
    private volatile boolean subscribed;
    private volatile Connection connection;

    private RedisPubSubIngest(RedisConnections redis, List<String> patterns, Duration dedup, Handler handler,
                              Outcomes outcomes) {
        this.redis = redis;
        this.patterns = patterns.toArray(String[]::new);
        this.dedup = dedup;
        this.handler = handler;
        this.outcomes = outcomes;
        // One thread in arrival order: events of one channel stay in the order they were published.
        this.handlerThread = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("pubsub-ingest-handler").factory());
        this.reader = Thread.ofPlatform().daemon().name("pubsub-ingest-subscriber").unstarted(this::run);
    }

    /** Subscribes to {@code patterns} (not prefixed: the publisher's channel names) and starts handing on messages. */
    public static RedisPubSubIngest start(RedisConnections redis, List<String> patterns, Duration dedup,
                                          Handler handler, Outcomes outcomes) {
        RedisPubSubIngest ingest = new RedisPubSubIngest(redis, patterns, dedup, handler, outcomes);
        ingest.reader.start();
        return ingest;
    }

    /** Whether the subscription is confirmed now. */
    public boolean isSubscribed() {
        return subscribed && !closed;
    }

    /** Waits up to {@code timeout} for the subscription; false when it is not confirmed by then. */
    public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isSubscribed() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return isSubscribed();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        reader.interrupt();
        disconnect(connection);
        handlerThread.shutdown();
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        boolean lossLogged = false;
        while (!closed) {
            Subscriber subscriber = new Subscriber();
            try {
                Connection opened = redis.openSubscriberConnection();
                connection = opened;
                if (!closed) {
                    subscriber.proceedWithPatterns(opened, patterns);
                }
            } catch (RuntimeException e) {
                if (!closed && !lossLogged) {
                    LOG.warn("redis pub/sub ingestion {}; messages published meanwhile are lost for this pod "
                            + "(at-most-once); retrying with back-off up to {} ms: {}", subscribed ? "lost its subscription"
                            : "cannot subscribe", MAX_BACKOFF.toMillis(), e.toString());
                    lossLogged = true;
                }
            } finally {
                subscribed = false;
                disconnect(connection);
                connection = null;
            }
            if (subscriber.confirmed) {
                backoff = FIRST_BACKOFF;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private void take(String channel, String message) {
        if (closed) {
            return;
        }
        String problem = problemWith(message);
        if (problem != null) {
            outcomes.counted("invalid");
            LOG.warn("dropping a pub/sub message on channel {}: {}", printable(channel), problem);
            return;
        }
        try {
            String key = redis.settings().key("pubsub:" + digest(channel, message));
            String claimed = redis.call(PORT, "claim", Retry.NEVER,
                    client -> client.set(key, "1", SetParams.setParams().nx().px(dedup.toMillis())));
            if (claimed == null) {
                outcomes.counted("duplicate");
                return;
            }
            outcomes.counted("claimed");
            handler.handle(channel, message);
        } catch (RuntimeException e) {
            outcomes.counted("failed");
            LOG.warn("a pub/sub message on channel {} could not be claimed or delivered; it is lost (at-most-once)",
                    printable(channel), e);
        }
    }

    /** Why {@code message} is not a frame (a JSON object with a string type), or null. */
    static String problemWith(String message) {
        try {
            JsonNode root = JSON.readTree(message);
            if (root == null || !root.isObject()) {
                return "not a JSON object";
            }
            return root.path("type").isTextual() ? null : "no string \"type\" field";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "not JSON (" + e.getOriginalMessage() + ")";
        }
    }

    static String digest(String channel, String message) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(channel.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            return HexFormat.of().formatHex(sha.digest(message.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String printable(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text.replaceAll("\\p{Cntrl}", "?");
    }

    private static void disconnect(Connection toClose) {
        if (toClose == null) {
            return;
        }
        try {
            toClose.forceDisconnect();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing pub/sub connection: {}", e.toString());
        }
    }

    /** The Jedis callbacks of one connection; they run on the reader thread. */
    private final class Subscriber extends JedisPubSub {
        private volatile boolean confirmed;

        @Override
        public void onPSubscribe(String pattern, int count) {
            if (count == patterns.length) {
                confirmed = true;
                subscribed = true;
                LOG.info("redis pub/sub ingestion subscribed to {}", String.join(", ", patterns));
            }
        }

        @Override
        public void onPMessage(String pattern, String channel, String message) {
            try {
                handlerThread.execute(() -> take(channel, message));
            } catch (RejectedExecutionException closing) {
                // close() ran meanwhile: nothing is handed on any more.
            }
        }
    }
}
