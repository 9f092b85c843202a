package io.relaymesh.adapters.mvstore;

import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.topics.TopicLog;
import io.relaymesh.domain.topics.TopicMessage;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Topics in one file on disk, with H2's MVStore (the embedded store the mailbox dialect chose).
 * Maps: {@code topic_messages} (topic, sequence → message, a topic's log in order),
 * {@code topic_ids} (message id → topic, sequence: acks and duplicates), {@code topic_idempotency}
 * (key → message id), {@code topic_consumers} (consumer, topic → start) and {@code topic_acks}
 * (consumer, topic, sequence). An append or an ack is committed to the file by the {@link #flush}
 * after it (a producer's and an HTTP ack's answer wait for it), or else within a second, so what
 * was answered survives {@code kill -9}; the file is fsync'ed once a second, like the seed's Valkey
 * with {@code appendfsync everysec}. Writers that arrive while a commit runs share the next one: a
 * commit rewrites every page it touches and writes a chunk header, and one per message took half
 * of a pod's CPU at 800 messages/s. Writes take one lock; reads take none. Thread-safe.
 */
public final class MvStoreTopicLog implements TopicLog {
    private static final Logger LOG = Logger.getLogger(MvStoreTopicLog.class.getName());
    private static final String PORT = "topic_log";
    private static final char SEP = '\u0000';
    /** MVStore's default is 16 KiB; at 4 KiB a commit serializes a quarter as much per touched leaf. */
    private static final int PAGE_SPLIT_BYTES = 4096;
    /** Group commit: a flush waits at most this long for others to join (answers, not deliveries, wait). */
    private static final long COMMIT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final Path file;
    private final long retentionMillis;
    private final int maxPerTopic;
    private final MVStore store;
    private final MVMap<String, String> messages;
    private final MVMap<String, String> ids;
    private final MVMap<String, String> idempotency;
    private final MVMap<String, Long> consumers;
    private final MVMap<String, String> acks;
    private final MVMap<String, Long> meta;
    private final ScheduledExecutorService syncer;
    private final Object writeLock = new Object();
    private final Object commitLock = new Object();
    private long lastSeq;
    /** Writes applied (guarded by writeLock) and, of those, committed (guarded by commitLock). */
    private long written;
    private long committed;
    private long lastCommitNanos = System.nanoTime() - COMMIT_INTERVAL_NANOS;

    public MvStoreTopicLog(Path file, Duration retention, int maxPerTopic) {
        this.file = file.toAbsolutePath();
        this.retentionMillis = retention.toMillis();
        this.maxPerTopic = maxPerTopic;
        try {
            Path parent = this.file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            // Small pages: a commit rewrites each leaf it touched, and a message lands in three maps.
            store = new MVStore.Builder().fileName(this.file.toString()).autoCommitDisabled()
                    .pageSplitSize(PAGE_SPLIT_BYTES).open();
        } catch (IOException | RuntimeException e) {
            throw new PortUnavailableException(PORT, "the topics store " + this.file + " cannot be opened: "
                    + e.getMessage(), e);
        }
        messages = store.openMap("topic_messages");
        ids = store.openMap("topic_ids");
        idempotency = store.openMap("topic_idempotency");
        consumers = store.openMap("topic_consumers");
        acks = store.openMap("topic_acks");
        meta = store.openMap("topic_meta");
        Long seq = meta.get("seq");
        lastSeq = seq == null ? 0 : seq;
        syncer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("topics-fsync").factory());
        syncer.scheduleWithFixedDelay(this::sync, 1, 1, TimeUnit.SECONDS);
    }

    public Path file() {
        return file;
    }

    @Override
    public Appended append(NewMessage m) {
        try {
            synchronized (writeLock) {
                String known = m.idempotencyKey() == null ? null : idempotency.get(m.idempotencyKey());
                if (known != null) {
                    return new Appended.Duplicate(original(known.substring(0, known.indexOf(SEP))));
                }
                if (ids.containsKey(m.messageId())) {
                    return new Appended.Duplicate(original(m.messageId()));
                }
                written++;
                return new Appended.Stored(put(m));
            }
        } catch (RuntimeException e) {
            throw failed("append to " + m.topic(), e);
        }
    }

    /** Commits what was appended so far, with whoever else flushes now (a duplicate's original too). */
    @Override
    public void flush() {
        long version;
        synchronized (writeLock) {
            version = written;
        }
        try {
            committed(version);
        } catch (RuntimeException e) {
            throw failed("commit", e);
        }
    }

    /** Writes a new message and trims its topic; the caller holds the write lock. */
    private TopicMessage put(NewMessage m) {
        long seq = ++lastSeq;
        meta.put("seq", seq);
        TopicMessage stored = new TopicMessage(m.messageId(), m.topic(), seq, m.payloadJson(),
                m.publishedAtMillis(), m.expiresAtMillis());
        messages.put(key(m.topic(), seq), encode(stored));
        ids.put(m.messageId(), m.topic() + SEP + seq);
        if (m.idempotencyKey() != null) {
            idempotency.put(m.idempotencyKey(), m.messageId() + SEP + m.publishedAtMillis());
        }
        trimCount(m.topic());
        return stored;
    }

    /** The stored message with {@code id}, or a stand-in with its id when it was trimmed since. */
    private TopicMessage original(String id) {
        String where = ids.get(id);
        if (where != null) {
            String body = messages.get(key(where.substring(0, where.indexOf(SEP)),
                    Long.parseLong(where.substring(where.indexOf(SEP) + 1))));
            if (body != null) {
                return decode(where.substring(0, where.indexOf(SEP)), Long.parseLong(where.substring(where.indexOf(SEP) + 1)), body);
            }
        }
        return new TopicMessage(id, "", 0, "", 0, 0);
    }

    @Override
    public void startConsumer(String consumer, String topic) {
        String key = consumer + SEP + topic;
        if (consumers.containsKey(key)) {
            return;
        }
        try {
            synchronized (writeLock) {
                if (!consumers.containsKey(key)) {
                    String last = messages.floorKey(key(topic, Long.MAX_VALUE));
                    consumers.put(key, last != null && last.startsWith(topic + SEP) ? seqOf(last) : 0L);
                    store.commit();
                }
            }
        } catch (RuntimeException e) {
            throw failed("start consumer " + consumer, e);
        }
    }

    @Override
    public List<TopicMessage> pending(String consumer, String topic, long afterSeq, int limit, long nowMillis) {
        try {
            Long start = consumers.get(consumer + SEP + topic);
            long from = Math.max(afterSeq, start == null ? 0 : start);
            List<TopicMessage> out = new ArrayList<>();
            String prefix = topic + SEP;
            String ackPrefix = consumer + SEP + topic + SEP;
            Cursor<String, String> cursor = messages.cursor(key(topic, from + 1));
            while (out.size() < limit && cursor.hasNext()) {
                String key = cursor.next();
                if (!key.startsWith(prefix)) {
                    break;
                }
                long seq = seqOf(key);
                TopicMessage message = decode(topic, seq, cursor.getValue());
                if (message.liveAt(nowMillis, retentionMillis) && !acks.containsKey(ackPrefix + pad(seq))) {
                    out.add(message);
                }
            }
            return out;
        } catch (RuntimeException e) {
            throw failed("read " + topic + " for " + consumer, e);
        }
    }

    @Override
    public List<String> ack(String consumer, List<String> messageIds) {
        List<String> unknown = new ArrayList<>();
        try {
            synchronized (writeLock) {
                for (String id : messageIds) {
                    String where = ids.get(id);
                    if (where == null) {
                        unknown.add(id);
                        continue;
                    }
                    String topic = where.substring(0, where.indexOf(SEP));
                    acks.put(consumer + SEP + topic + SEP + pad(Long.parseLong(where.substring(where.indexOf(SEP) + 1))), "");
                }
                written++;
            }
            return unknown;
        } catch (RuntimeException e) {
            throw failed("ack for " + consumer, e);
        }
    }

    @Override
    public void trim(long nowMillis) {
        try {
            synchronized (writeLock) {
                // Each topic from its oldest message: drop while too old for retention or past its ttl.
                String topicKey = messages.firstKey();
                while (topicKey != null) {
                    String topic = topicKey.substring(0, topicKey.indexOf(SEP));
                    Cursor<String, String> cursor = messages.cursor(topicKey);
                    List<String> drop = new ArrayList<>();
                    while (cursor.hasNext()) {
                        String key = cursor.next();
                        if (!key.startsWith(topic + SEP)) {
                            break;
                        }
                        if (decode(topic, seqOf(key), cursor.getValue()).liveAt(nowMillis, retentionMillis)) {
                            break;
                        }
                        drop.add(key);
                    }
                    drop.forEach(this::removeMessage);
                    topicKey = messages.ceilingKey(topic + '\u0001');
                }
                idempotency.entrySet().removeIf(e -> Long.parseLong(e.getValue().substring(e.getValue().indexOf(SEP) + 1))
                        + retentionMillis <= nowMillis);
                // Acks of messages no longer retained are of no use.
                acks.keySet().removeIf(key -> {
                    int last = key.lastIndexOf(SEP);
                    String topic = key.substring(key.indexOf(SEP) + 1, last);
                    return !messages.containsKey(key(topic, Long.parseLong(key.substring(last + 1))));
                });
                store.commit();
            }
        } catch (RuntimeException e) {
            throw failed("trim", e);
        }
    }

    private void trimCount(String topic) {
        long count = indexOf(key(topic, Long.MAX_VALUE)) - indexOf(key(topic, 0));
        for (long excess = count - maxPerTopic; excess > 0; excess--) {
            String oldest = messages.ceilingKey(key(topic, 0));
            if (oldest == null || !oldest.startsWith(topic + SEP)) {
                return;
            }
            removeMessage(oldest);
        }
    }

    /** Position of {@code key} among the keys, present or not. */
    private long indexOf(String key) {
        long index = messages.getKeyIndex(key);
        return index >= 0 ? index : -index - 1;
    }

    private void removeMessage(String key) {
        String body = messages.remove(key);
        if (body != null) {
            ids.remove(body.substring(0, body.indexOf(SEP)));
        }
    }

    /**
     * Commits everything written up to {@code version}, together with whoever else is waiting. The
     * commit runs outside the write lock, so writers go on meanwhile and share the next one; a
     * commit may then hold part of a write still in progress, never acknowledged: {@link #put}
     * writes the message before its indexes, so a crash at that moment can at worst store a
     * retried publish twice, never answer a retry as a duplicate of a message that is not there.
     */
    private void committed(long version) {
        synchronized (commitLock) {
            if (committed >= version) {
                return;
            }
            // At most one commit per interval: the writes of the wait go into the same chunk.
            long wait = lastCommitNanos + COMMIT_INTERVAL_NANOS - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long upTo;
            synchronized (writeLock) {
                upTo = written;
            }
            store.commit();
            lastCommitNanos = System.nanoTime();
            committed = upTo;
        }
    }

    /** Once a second: commits what no flush has (acks of WebSocket consumers), then fsyncs. */
    private void sync() {
        try {
            flush();
            synchronized (writeLock) {
                if (!store.isClosed()) {
                    store.sync();
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "topics store " + file + ": fsync failed", e);
        }
    }

    private PortUnavailableException failed(String operation, RuntimeException e) {
        if (e instanceof PortUnavailableException unavailable) {
            return unavailable;
        }
        LOG.log(Level.WARNING, "topics store " + file + ": " + operation + " failed", e);
        return new PortUnavailableException(PORT, operation + " failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        syncer.shutdownNow();
        synchronized (writeLock) {
            if (!store.isClosed()) {
                store.close();
            }
        }
    }

    private static String key(String topic, long seq) {
        return topic + SEP + pad(seq);
    }

    private static String pad(long seq) {
        return String.format("%019d", seq);
    }

    private static long seqOf(String key) {
        return Long.parseLong(key.substring(key.lastIndexOf(SEP) + 1));
    }

    /** id, published, expires, payload: separated by NUL (JSON text never holds a raw NUL). */
    private static String encode(TopicMessage m) {
        return m.messageId() + SEP + m.publishedAtMillis() + SEP + m.expiresAtMillis() + SEP + m.payloadJson();
    }

    private static TopicMessage decode(String topic, long seq, String body) {
        String[] f = body.split(String.valueOf(SEP), 4);
        return new TopicMessage(f[0], topic, seq, f[3], Long.parseLong(f[1]), Long.parseLong(f[2]));
    }
}
