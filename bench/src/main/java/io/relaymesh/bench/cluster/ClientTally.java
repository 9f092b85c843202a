package io.relaymesh.bench.cluster;

import io.relaymesh.bench.support.Samples;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What one client received: each event id and how often, the latency of each first receipt,
 * and anything that was not one of the scenario's events. Thread-safe (synchronized; the
 * WebSocket delivers one frame at a time, the benchmark reads from another thread).
 */
final class ClientTally {
    private final String prefix;
    private final Map<String, Integer> seen = new HashMap<>();
    private final Samples firstLatencyMicros = new Samples();
    private long frames;
    private long duplicates;
    private long foreign;
    private long otherFrames;
    private String lastOther;

    ClientTally(String prefix) {
        this.prefix = prefix;
    }

    synchronized void event(String eventId, long latencyNanos) {
        if (eventId == null || !eventId.startsWith(prefix)) {
            foreign++;
            return;
        }
        frames++;
        int count = seen.merge(eventId, 1, Integer::sum);
        if (count == 1) {
            firstLatencyMicros.add(latencyNanos / 1_000);
        } else {
            duplicates++;
        }
    }

    synchronized void other(String frame) {
        otherFrames++;
        lastOther = frame;
    }

    synchronized long frames() {
        return frames;
    }

    synchronized int distinct() {
        return seen.size();
    }

    synchronized long duplicates() {
        return duplicates;
    }

    /** Events whose id has this client's prefix but never arrived, out of {@code 0..expected-1}. */
    synchronized int missing(int expected) {
        int missing = 0;
        for (int i = 0; i < expected; i++) {
            if (!seen.containsKey(prefix + i)) {
                missing++;
            }
        }
        return missing;
    }

    /** Adds the ids of the events this client got more than once to {@code into}. */
    synchronized void duplicatedInto(Set<String> into) {
        seen.forEach((id, count) -> {
            if (count > 1) {
                into.add(id);
            }
        });
    }

    /** Adds one to {@code counts[i]} for each event {@code i} in {@code 0..counts.length-1} this client never got. */
    synchronized void countMissing(int[] counts) {
        for (int i = 0; i < counts.length; i++) {
            if (!seen.containsKey(prefix + i)) {
                counts[i]++;
            }
        }
    }

    synchronized long foreign() {
        return foreign;
    }

    synchronized long otherFrames() {
        return otherFrames;
    }

    synchronized String lastOther() {
        return lastOther;
    }

    /** Adds this client's first-receipt latencies (µs) to {@code into}. */
    synchronized void latenciesInto(Samples into) {
        for (int i = 0; i < firstLatencyMicros.count(); i++) {
            into.add(firstLatencyMicros.get(i));
        }
    }
}
