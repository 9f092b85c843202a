package io.relaymesh.adapters.memory;

import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.EventLog;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Standalone history: the last envelopes of each route key, in memory, at most {@code capacity}
 * in all (the oldest go first, whatever their key). Positions are {@code <epoch>:<sequence>}: one
 * sequence for every key, so one position tells where a client was on all of them, and an epoch
 * drawn at start, so a position from before a restart is recognised as such (a gap, not a
 * replay from the wrong place). A key whose oldest kept envelope is newer than the position asked
 * for (some were dropped), or a key whose envelopes were all dropped since, is a gap. Thread-safe
 * (one lock: appends are short, replays copy out).
 */
public final class InMemoryEventLog implements EventLog {
    private final String epoch;
    private final int capacity;
    private final Map<RouteKey, Ring> rings = new HashMap<>();
    /** Every kept envelope's keys, oldest first: what to drop when over capacity. */
    private final ArrayDeque<Entry> order = new ArrayDeque<>();
    private long sequence;
    /** The highest sequence dropped from a key whose ring is gone (empty): a floor for keys not held. */
    private long droppedFloor;

    private record Entry(long sequence, Envelope envelope) {
    }

    /** One key's kept envelopes and the highest sequence dropped from it. */
    private static final class Ring {
        final ArrayDeque<Entry> entries = new ArrayDeque<>();
        long dropped;
    }

    public InMemoryEventLog(int capacity) {
        this(capacity, newEpoch());
    }

    InMemoryEventLog(int capacity, String epoch) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        this.capacity = capacity;
        this.epoch = epoch;
    }

    private static String newEpoch() {
        long random = new SecureRandom().nextLong() >>> 16;
        return Long.toString(System.currentTimeMillis(), 36) + Long.toString(random, 36);
    }

    public String epoch() {
        return epoch;
    }

    @Override
    public synchronized Envelope append(Envelope envelope) {
        long seq = ++sequence;
        Envelope positioned = envelope.withAttribute(Envelope.POSITION, epoch + ":" + seq);
        if (capacity == 0) {
            droppedFloor = seq;
            return positioned;
        }
        Entry entry = new Entry(seq, positioned);
        for (RouteKey key : positioned.audience()) {
            rings.computeIfAbsent(key, k -> {
                // A key held before may have lost envelopes with its old ring: start from that floor.
                Ring ring = new Ring();
                ring.dropped = droppedFloor;
                return ring;
            }).entries.addLast(entry);
        }
        order.addLast(entry);
        while (order.size() > capacity) {
            Entry oldest = order.removeFirst();
            for (RouteKey key : oldest.envelope().audience()) {
                Ring ring = rings.get(key);
                if (ring != null && !ring.entries.isEmpty() && ring.entries.peekFirst() == oldest) {
                    ring.entries.removeFirst();
                    ring.dropped = oldest.sequence();
                    if (ring.entries.isEmpty()) {
                        rings.remove(key);
                        droppedFloor = Math.max(droppedFloor, oldest.sequence());
                    }
                }
            }
        }
        return positioned;
    }

    @Override
    public synchronized Replay after(List<RouteKey> keys, String position, int max) {
        Position since = io.relaymesh.domain.port.EventHistory.parse(position);
        if (since == null) {
            return new Replay.Gap("\"" + position + "\" is not a position");
        }
        if (!epoch.equals(since.epoch())) {
            return new Replay.Gap("position " + position + " is from before this gateway restarted (epoch now "
                    + epoch + ")");
        }
        if (since.sequence() > sequence) {
            return new Replay.Gap("position " + position + " is ahead of this gateway's history (last " + sequence + ")");
        }
        TreeMap<Long, Envelope> found = new TreeMap<>();
        for (RouteKey key : keys) {
            Ring ring = rings.get(key);
            if (ring == null) {
                if (droppedFloor > since.sequence()) {
                    return new Replay.Gap("events for " + key + " after " + position
                            + " may have been dropped (app.resume_history_events)");
                }
                continue;
            }
            if (ring.dropped > since.sequence()) {
                return new Replay.Gap("events for " + key + " after " + position
                        + " were dropped (app.resume_history_events)");
            }
            for (java.util.Iterator<Entry> it = ring.entries.descendingIterator(); it.hasNext(); ) {
                Entry entry = it.next();
                if (entry.sequence() <= since.sequence()) {
                    break;
                }
                found.put(entry.sequence(), entry.envelope());
                if (found.size() > max) {
                    return new Replay.Gap("more than " + max + " events were missed (app.resume_max_events)");
                }
            }
        }
        return new Replay.Recovered(new ArrayList<>(found.values()));
    }

    /** Envelopes kept now (for metrics and tests). */
    public synchronized int size() {
        return order.size();
    }
}
