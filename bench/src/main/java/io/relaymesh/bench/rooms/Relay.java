package io.relaymesh.bench.rooms;

import io.relaymesh.bench.load.Histogram;
import io.relaymesh.bench.support.Deadline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One relay run: a sender peer and a receiver peer in a topic of their own; the sender sends data
 * frames whose payload starts with a sequence number and its send time ({@code System.nanoTime}, so
 * sender and receiver, in this process, share the clock); the receiver checks the order and records
 * each frame's time from the sender's write to its own read: one hop through the relay. Either as
 * fast as a window of unanswered frames allows (throughput), or at a fixed rate (latency). Bounded in
 * frames and in time.
 */
final class Relay {
    /** Result of one run. */
    record Result(long frames, long lost, long outOfOrder, double seconds, int payloadBytes, Histogram latency) {
        double framesPerSecond() {
            return frames / seconds;
        }

        /** Decoded payload megabytes (10^6 bytes) per second. */
        double megabytesPerSecond() {
            return frames * (double) payloadBytes / 1e6 / seconds;
        }
    }

    private static final String HEAD = "{\"type\":\"data\",\"data\":\"";
    private static final String TAIL = "\"}";
    /** Sequence number and send time, plus two bytes: 18 bytes = 24 base64 characters, no padding. */
    private static final int HEADER = 18;

    private final WireClient sender;
    private final WireClient receiver;
    private final int payloadBytes;
    private final String padding;

    Relay(WireClient sender, WireClient receiver, int payloadBytes) {
        this.sender = sender;
        this.receiver = receiver;
        this.payloadBytes = Math.max(HEADER, payloadBytes);
        this.padding = Base64.getEncoder().encodeToString(new byte[this.payloadBytes - HEADER]);
    }

    /** Joins both to {@code topic}, the receiver first; returns once the receiver heard of the sender. */
    static Relay join(WireClient sender, WireClient receiver, String topic, int payloadBytes) throws IOException {
        receiver.send("{\"type\":\"join\",\"topic\":\"" + topic + "\",\"peerId\":\"receiver\"}");
        expect(receiver, "\"joined\"");
        sender.send("{\"type\":\"join\",\"topic\":\"" + topic + "\",\"peerId\":\"sender\"}");
        expect(sender, "\"joined\"");
        expect(receiver, "\"peer-joined\"");
        return new Relay(sender, receiver, payloadBytes);
    }

    private static void expect(WireClient client, String text) throws IOException {
        String frame = client.readText();
        if (frame == null || !frame.contains(text)) {
            throw new IOException("expected " + text + ", got " + frame);
        }
    }

    private byte[] frame(long seq) {
        ByteBuffer header = ByteBuffer.allocate(HEADER).putLong(seq).putLong(System.nanoTime());
        String data = Base64.getEncoder().encodeToString(header.array()) + padding;
        return (HEAD + data + TAIL).getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Sends {@code frames} frames, at most {@code window} unanswered at once (ratePerSecond 0), or one
     * every 1/ratePerSecond seconds; stops at {@code limit} whatever is left.
     */
    Result run(long frames, int window, int ratePerSecond, Duration limit) throws Exception {
        Deadline deadline = Deadline.after(limit);
        Histogram latency = new Histogram();
        AtomicLong received = new AtomicLong();
        AtomicLong disorder = new AtomicLong();
        AtomicLong lastNanos = new AtomicLong();
        Thread reader = Thread.ofPlatform().name("bench-rooms-reader").start(() -> {
            long expected = 0;
            try {
                while (received.get() < frames && !deadline.passed()) {
                    String text = receiver.readText();
                    if (text == null) {
                        return;
                    }
                    int at = text.indexOf("\"data\":\"");
                    if (at < 0 || !text.startsWith("{\"type\":\"data\"")) {
                        continue;
                    }
                    ByteBuffer header = ByteBuffer.wrap(Base64.getDecoder().decode(text.substring(at + 8, at + 32)));
                    long seq = header.getLong();
                    long sentAt = header.getLong();
                    latency.record((System.nanoTime() - sentAt) / 1000);
                    if (seq != expected) {
                        disorder.incrementAndGet();
                    }
                    expected = seq + 1;
                    received.incrementAndGet();
                    lastNanos.set(System.nanoTime());
                }
            } catch (IOException e) {
                // the run ended (socket timeout or close): counted as lost below
            }
        });
        long start = System.nanoTime();
        long sent = 0;
        long intervalNanos = ratePerSecond > 0 ? 1_000_000_000L / ratePerSecond : 0;
        while (sent < frames && !deadline.passed()) {
            if (ratePerSecond > 0) {
                long due = start + sent * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                sender.queue(frame(sent++));
                sender.flush();
            } else {
                if (sent - received.get() >= window) {
                    sender.flush();
                    LockSupport.parkNanos(20_000);
                    continue;
                }
                sender.queue(frame(sent++));
                if (sent % 16 == 0) {
                    sender.flush();
                }
            }
        }
        sender.flush();
        reader.join(Math.max(1, deadline.remainingMillis()) + 5_000);
        long end = lastNanos.get() > 0 ? lastNanos.get() : System.nanoTime();
        double seconds = Math.max(1e-9, (end - start) / 1e9);
        long got = received.get();
        return new Result(got, sent - got, disorder.get(), seconds, payloadBytes, latency);
    }
}
