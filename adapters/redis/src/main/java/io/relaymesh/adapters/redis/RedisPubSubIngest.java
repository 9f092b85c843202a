package io.relaymesh.adapters.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relaymesh.adapters.redis.RedisConnections.Retry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.ArrayList;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Inbound events from Redis Pub/Sub: a dedicated connection PSUBSCRIBEd to the given patterns,
 * kept by a {@link SubscriptionLoop} (its own platform thread, reconnecting with a bounded back-off). Every pod subscribes,
 * and Pub/Sub hands every message to every subscriber, so each message is claimed first: {@code SET
 * pubsub:{sha256(channel, message)} NX PX dedup}; only the pod whose SET succeeds hands it on (and
 * the core's delivery forwards it to the other pods holding its audience). A message must be a JSON
 * object with a string {@code type}; others are dropped with a log line and counted.
 *
 * <p>Pub/Sub is at-most-once: what is published while this connection is down (a pod or Redis
 * restarting) is lost for this pod, and lost for everyone when no pod is subscribed. Identical
 * messages on one channel within the dedup window count as one. What arrives together is claimed
 * in one pipeline (one round trip per batch, not per message), then handed on in arrival order.
 * Thread-safe.
 */
public final class RedisPubSubIngest implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisPubSubIngest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PORT = "pubsub_ingest";
    /** Claims sent in one pipeline at most (a burst is claimed in few round trips). */
    private static final int MAX_BATCH = 256;
    private static final int MAX_QUEUED = 100_000;

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
    /** Messages received and not yet claimed, in arrival order; bounded so a stalled Redis cannot exhaust the heap. */
    private final BlockingQueue<String[]> received = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final Thread handlerThread;
    private final SubscriptionLoop loop;
    private volatile boolean closed;
    private volatile boolean subscribed;

    private RedisPubSubIngest(RedisConnections redis, List<String> patterns, Duration dedup, Handler handler,
                              Outcomes outcomes) {
        this.redis = redis;
        this.patterns = patterns.toArray(String[]::new);
        this.dedup = dedup;
        this.handler = handler;
        this.outcomes = outcomes;
        // One thread in arrival order: events of one channel stay in the order they were published.
        this.handlerThread = Thread.ofVirtual().name("pubsub-ingest-handler").unstarted(this::handle);
        this.loop = new SubscriptionLoop(redis, "pubsub-ingest-subscriber", resubscription -> new Subscriber(),
                (subscriber, connection) -> subscriber.proceedWithPatterns(connection, this.patterns), this::lost);
    }

    /** Subscribes to {@code patterns} (not prefixed: the publisher's channel names) and starts handing on messages. */
    public static RedisPubSubIngest start(RedisConnections redis, List<String> patterns, Duration dedup,
                                          Handler handler, Outcomes outcomes) {
        RedisPubSubIngest ingest = new RedisPubSubIngest(redis, patterns, dedup, handler, outcomes);
        ingest.handlerThread.start();
        ingest.loop.start();
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
        loop.close(redis.settings().timeout());
        handlerThread.interrupt();
    }

    /** After each attempt that ended: not subscribed until the next one is confirmed. */
    private void lost(boolean wasSubscribed, RuntimeException failure, boolean first, Duration retryIn) {
        subscribed = false;
        if (first) {
            LOG.warn("redis pub/sub ingestion {}; messages published meanwhile are lost for this pod "
                    + "(at-most-once); retrying with back-off up to {} ms: {}", wasSubscribed ? "lost its subscription"
                    : "cannot subscribe", SubscriptionLoop.MAX_BACKOFF.toMillis(),
                    failure == null ? "unsubscribed" : failure.toString());
        } else {
            LOG.debug("redis pub/sub ingestion still cannot subscribe, next attempt in {} ms", retryIn.toMillis());
        }
    }

    /** Takes what arrived in batches: every claim of a batch in one pipeline, then the claimed ones in order. */
    private void handle() {
        List<String[]> batch = new ArrayList<>(MAX_BATCH);
        while (!closed) {
            try {
                batch.add(received.take());
            } catch (InterruptedException e) {
                return;
            }
            received.drainTo(batch, MAX_BATCH - 1);
            take(batch);
            batch.clear();
        }
    }

    private void take(List<String[]> batch) {
        List<String[]> frames = new ArrayList<>(batch.size());
        for (String[] message : batch) {
            String problem = problemWith(message[1]);
            if (problem == null) {
                frames.add(message);
            } else {
                outcomes.counted("invalid");
                LOG.warn("dropping a pub/sub message on channel {}: {}", printable(message[0]), problem);
            }
        }
        if (frames.isEmpty() || closed) {
            return;
        }
        List<Boolean> claimed;
        try {
            // Resent once when the pooled connection turns out dead before any reply, as each one is
            // after Redis restarts: without it the first messages after every restart were lost. A
            // claim that did reach a Redis which then died is gone with it (or, with persistence,
            // the resend reads as a duplicate and the message is dropped: at-most-once either way).
            claimed = redis.pipelined(PORT, "claim " + frames.size() + " messages", Retry.ON_STALE_CONNECTION, pipeline -> {
                List<Response<String>> replies = new ArrayList<>(frames.size());
                for (String[] message : frames) {
                    replies.add(pipeline.set(redis.settings().key("pubsub:" + digest(message[0], message[1])), "1",
                            SetParams.setParams().nx().px(dedup.toMillis())));
                }
                return () -> replies.stream().map(reply -> reply.get() != null).toList();
            });
        } catch (RuntimeException e) {
            frames.forEach(m -> outcomes.counted("failed"));
            LOG.warn("{} pub/sub messages could not be claimed; they are lost (at-most-once)", frames.size(), e);
            return;
        }
        for (int i = 0; i < frames.size(); i++) {
            if (!claimed.get(i)) {
                outcomes.counted("duplicate");
                continue;
            }
            outcomes.counted("claimed");
            try {
                handler.handle(frames.get(i)[0], frames.get(i)[1]);
            } catch (RuntimeException e) {
                outcomes.counted("failed");
                LOG.warn("a pub/sub message on channel {} could not be delivered; it is lost (at-most-once)",
                        printable(frames.get(i)[0]), e);
            }
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

    /** The Jedis callbacks of one connection; they run on the reader thread. */
    private final class Subscriber extends SubscriptionLoop.Attempt {
        @Override
        public void onPSubscribe(String pattern, int count) {
            if (count == patterns.length) {
                confirmed();
                subscribed = true;
                LOG.info("redis pub/sub ingestion subscribed to {}", String.join(", ", patterns));
            }
        }

        @Override
        public void onPMessage(String pattern, String channel, String message) {
            if (!closed && !received.offer(new String[]{channel, message})) {
                outcomes.counted("failed");
                LOG.warn("pub/sub backlog full ({} messages): dropping one on channel {}", MAX_QUEUED, printable(channel));
            }
        }
    }
}
