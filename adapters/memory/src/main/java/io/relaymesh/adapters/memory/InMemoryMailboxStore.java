package io.relaymesh.adapters.memory;

import io.relaymesh.domain.mailbox.MailboxMessage;
import io.relaymesh.domain.mailbox.MailboxStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mailboxes in this process's memory: for unit tests of the mailbox use case only (standalone
 * mode keeps them on disk, a cluster in Redis), since nothing here survives a restart.
 * Thread-safe: every method holds the instance's lock.
 */
public final class InMemoryMailboxStore implements MailboxStore {
    /** Per recipient, its messages in the order stored. */
    private final Map<String, LinkedHashMap<String, MailboxMessage>> boxes = new HashMap<>();
    private final Map<String, MailboxMessage> byId = new HashMap<>();

    @Override
    public synchronized boolean store(MailboxMessage message) {
        if (byId.putIfAbsent(message.id(), message) != null) {
            return false;
        }
        boxes.computeIfAbsent(message.to(), k -> new LinkedHashMap<>()).put(message.id(), message);
        return true;
    }

    @Override
    public synchronized List<MailboxMessage> pending(String recipient, int limit, long nowMillis) {
        List<MailboxMessage> out = new ArrayList<>();
        for (MailboxMessage message : boxes.getOrDefault(recipient, new LinkedHashMap<>()).values()) {
            if (out.size() >= limit) {
                break;
            }
            if (!message.expiredAt(nowMillis)) {
                out.add(message);
            }
        }
        return out;
    }

    @Override
    public synchronized Ack ack(String recipient, String id) {
        LinkedHashMap<String, MailboxMessage> box = boxes.get(recipient);
        if (box == null || box.remove(id) == null) {
            return Ack.NOT_FOUND;
        }
        byId.remove(id);
        return Ack.REMOVED;
    }

    @Override
    public synchronized int sweep(long nowMillis, int max) {
        int removed = 0;
        for (Iterator<MailboxMessage> it = byId.values().iterator(); it.hasNext() && removed < max; ) {
            MailboxMessage message = it.next();
            if (message.expiredAt(nowMillis)) {
                it.remove();
                boxes.get(message.to()).remove(message.id());
                removed++;
            }
        }
        return removed;
    }

    @Override
    public String problem() {
        return null;
    }

    @Override
    public void close() {
    }
}
