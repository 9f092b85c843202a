package io.relaymesh.adapters.mvstore;

import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.mailbox.MailboxMessage;
import io.relaymesh.domain.mailbox.MailboxStore;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Mailboxes in one file on disk, with H2's MVStore: a log-structured, copy-on-write B-tree store
 * like the seed's bbolt, in pure Java. Three maps: {@code messages} (id → message), {@code queue}
 * (recipient, sequence → id: a recipient's mailbox, oldest first) and {@code expiry} (expiry time,
 * id: what the sweeper takes first). A write changes the three maps under one lock and is
 * committed and fsync'ed before it returns; concurrent writers share one fsync (group commit), so a
 * message survives {@code kill -9} and a power cut once {@link #store} has returned (a send is
 * answered {@code send_ok} only then). The file is
 * created on first use, its folder too. When it cannot be opened (locked by another process, no
 * space) every call fails with {@link PortUnavailableException} and {@link #problem()} says why;
 * it is tried again at most once a second. Thread-safe.
 */
public final class MvStoreMailboxStore implements MailboxStore {
    private static final Logger LOG = Logger.getLogger(MvStoreMailboxStore.class.getName());
    private static final String PORT = "mailbox_store";
    private static final char SEP = '\u0000';
    private static final long REOPEN_INTERVAL_NANOS = 1_000_000_000L;

    private final Path file;
    private final Object writeLock = new Object();
    private final Object syncLock = new Object();
    private volatile Opened opened;
    private volatile String problem;
    private volatile long lastOpenAttempt;
    /** Writes applied (guarded by writeLock) and, of those, committed and synced (guarded by syncLock). */
    private long written;
    private long synced;
    private long lastSequence;

    private record Opened(MVStore store, MVMap<String, String> messages, MVMap<String, String> queue,
                          MVMap<String, String> expiry, MVMap<String, Long> meta) {
    }

    public MvStoreMailboxStore(Path file) {
        this.file = file.toAbsolutePath();
        lastOpenAttempt = System.nanoTime() - REOPEN_INTERVAL_NANOS;
        try {
            open();
        } catch (PortUnavailableException e) {
            // Logged by open(); problem() reports it (health answers 503) and calls try again.
        }
    }

    /** The file this store lives in. */
    public Path file() {
        return file;
    }

    private synchronized Opened open() {
        Opened current = opened;
        if (current != null && !current.store.isClosed()) {
            return current;
        }
        if (System.nanoTime() - lastOpenAttempt < REOPEN_INTERVAL_NANOS) {
            throw new PortUnavailableException(PORT, problem, null);
        }
        lastOpenAttempt = System.nanoTime();
        try {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            // MVStore's background writer stays on: it compacts the file (without it a store-only load
            // grew ~7 KB per message). It may commit between two map writes of one operation: see the
            // order of the writes in store() and remove().
            MVStore store = new MVStore.Builder().fileName(file.toString()).open();
            // Every write is a commit: space of older versions is reused at once, or the file grows by a
            // chunk per write for the default 45 s (~18 KB per message stored and acked).
            store.setRetentionTime(0);
            Opened fresh = new Opened(store, store.openMap("messages"), store.openMap("queue"),
                    store.openMap("expiry"), store.openMap("meta"));
            synchronized (writeLock) {
                Long sequence = fresh.meta.get("sequence");
                lastSequence = sequence == null ? 0 : sequence;
            }
            opened = fresh;
            if (problem != null) {
                LOG.info("mailbox store " + file + " is open again");
            }
            problem = null;
            return fresh;
        } catch (IOException | RuntimeException e) {
            problem = "the mailbox store " + file + " cannot be opened: " + e.getMessage();
            LOG.log(Level.SEVERE, problem, e);
            throw new PortUnavailableException(PORT, problem, e);
        }
    }

    private Opened maps() {
        Opened current = opened;
        return current != null && !current.store.isClosed() ? current : open();
    }

    @Override
    public boolean store(MailboxMessage message) {
        Opened maps = maps();
        long version;
        try {
            synchronized (writeLock) {
                if (maps.messages.containsKey(message.id())) {
                    return false;
                }
                long sequence = Math.max(lastSequence + 1, System.currentTimeMillis() * 1000);
                lastSequence = sequence;
                // Expiry first, queue last: a crash after a partial background commit leaves at most
                // an entry the sweeper removes, never a message that is pending but cannot expire.
                maps.expiry.put(expiryKey(message.expiresAtMillis(), message.id()), "");
                maps.messages.put(message.id(), encode(message, sequence));
                maps.queue.put(queueKey(message.to(), sequence), message.id());
                maps.meta.put("sequence", sequence);
                version = ++written;
            }
            durable(maps, version);
            return true;
        } catch (RuntimeException e) {
            throw failed("store " + message.id(), e);
        }
    }

    @Override
    public List<MailboxMessage> pending(String recipient, int limit, long nowMillis) {
        Opened maps = maps();
        try {
            List<MailboxMessage> out = new ArrayList<>(Math.min(limit, 64));
            String prefix = recipient + SEP;
            Cursor<String, String> cursor = maps.queue.cursor(prefix);
            while (out.size() < limit && cursor.hasNext()) {
                String key = cursor.next();
                if (!key.startsWith(prefix)) {
                    break;
                }
                String body = maps.messages.get(cursor.getValue());
                if (body != null) {
                    MailboxMessage message = decode(cursor.getValue(), body);
                    if (!message.expiredAt(nowMillis)) {
                        out.add(message);
                    }
                }
            }
            return out;
        } catch (RuntimeException e) {
            throw failed("read the mailbox of " + recipient, e);
        }
    }

    @Override
    public Ack ack(String recipient, String id) {
        Opened maps = maps();
        long version;
        try {
            synchronized (writeLock) {
                String body = maps.messages.get(id);
                if (body == null || !recipientOf(body).equals(recipient)) {
                    return Ack.NOT_FOUND;
                }
                remove(maps, id, body);
                version = ++written;
            }
            durable(maps, version);
            return Ack.REMOVED;
        } catch (RuntimeException e) {
            throw failed("ack " + id, e);
        }
    }

    @Override
    public int sweep(long nowMillis, int max) {
        Opened maps = maps();
        try {
            List<String> expired = new ArrayList<>();
            Cursor<String, String> cursor = maps.expiry.cursor(null);
            while (expired.size() < max && cursor.hasNext()) {
                String key = cursor.next();
                if (Long.parseLong(key.substring(0, key.indexOf(SEP))) > nowMillis) {
                    break;
                }
                expired.add(key);
            }
            if (expired.isEmpty()) {
                return 0;
            }
            int removed = 0;
            synchronized (writeLock) {
                for (String key : expired) {
                    String id = key.substring(key.indexOf(SEP) + 1);
                    String body = maps.messages.get(id);
                    if (body != null) {
                        remove(maps, id, body);
                        removed++;
                    } else {
                        maps.expiry.remove(key);
                    }
                }
                // A sweep lost in a crash is done again by the next one: no fsync needed.
                maps.store.commit();
            }
            return removed;
        } catch (RuntimeException e) {
            throw failed("sweep", e);
        }
    }

    private static void remove(Opened maps, String id, String body) {
        String[] f = body.split(String.valueOf(SEP), -1);
        // The reverse order of store(): out of the mailbox first, out of the expiry index last.
        maps.queue.remove(queueKey(f[0], Long.parseLong(f[5])));
        maps.messages.remove(id);
        maps.expiry.remove(expiryKey(Long.parseLong(f[4]), id));
    }

    /** Commits and fsyncs everything written up to {@code version}, with whoever else is waiting. */
    private void durable(Opened maps, long version) {
        synchronized (syncLock) {
            if (synced >= version) {
                return;
            }
            long upTo;
            synchronized (writeLock) {
                upTo = written;
                maps.store.commit();
            }
            maps.store.sync();
            synced = upTo;
        }
    }

    private PortUnavailableException failed(String operation, RuntimeException e) {
        if (e instanceof PortUnavailableException unavailable) {
            return unavailable;
        }
        Opened current = opened;
        if (current == null || current.store.isClosed()) {
            problem = "the mailbox store " + file + " failed and was closed: " + e.getMessage();
        }
        LOG.log(Level.WARNING, "mailbox store " + file + ": " + operation + " failed", e);
        return new PortUnavailableException(PORT, operation + " failed: " + e.getMessage(), e);
    }

    @Override
    public String problem() {
        Opened current = opened;
        if (current == null || current.store.isClosed()) {
            return problem != null ? problem : "the mailbox store " + file + " is closed";
        }
        return null;
    }

    @Override
    public synchronized void close() {
        Opened current = opened;
        opened = null;
        problem = "the mailbox store " + file + " is closed";
        if (current != null && !current.store.isClosed()) {
            synchronized (writeLock) {
                current.store.close();
            }
        }
    }

    private static String queueKey(String recipient, long sequence) {
        return recipient + SEP + String.format("%019d", sequence);
    }

    private static String expiryKey(long expiresAtMillis, String id) {
        return String.format("%019d", Math.max(0, expiresAtMillis)) + SEP + id;
    }

    /** to, from, payload, at, expires, sequence: separated by NUL, which no field may contain. */
    private static String encode(MailboxMessage m, long sequence) {
        return m.to() + SEP + m.from() + SEP + m.payloadB64() + SEP + m.atSeconds() + SEP + m.expiresAtMillis()
                + SEP + sequence;
    }

    private static MailboxMessage decode(String id, String body) {
        String[] f = body.split(String.valueOf(SEP), -1);
        return new MailboxMessage(id, f[1], f[0], f[2], Long.parseLong(f[3]), Long.parseLong(f[4]));
    }

    private static String recipientOf(String body) {
        return body.substring(0, body.indexOf(SEP));
    }
}
