package io.relaymesh.adapters.web.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsSession;
import io.relaymesh.application.connection.ClientConnection;
import io.relaymesh.application.connection.ServerMessage;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.application.connection.ErrorCode;
import io.relaymesh.domain.model.ConnectionId;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WebSocket connection's outbound side. Helidon's {@link WsSession#send} is not thread-safe,
 * so every write (frames, pings, pongs, close) goes through one bounded queue drained by one task
 * at a time on a virtual thread; the task exists only while there is something to write, so an
 * idle connection costs no thread. Thread-safe: offer/close may be called from any thread.
 */
public final class WsConnection implements ClientConnection {
    private static final Logger LOG = Logger.getLogger(WsConnection.class.getName());

    private sealed interface Item {
    }

    private record Text(ServerMessage message) implements Item {
    }

    private record Ping() implements Item {
    }

    /** A pong to write: its data is the latest ping's, read when written (see {@link #pong}). */
    private record Pong() implements Item {
    }

    private record Close(int code, String reason) implements Item {
    }

    /** How long a client has to answer a close frame before its socket is dropped. */
    static final long CLOSE_GRACE_MILLIS = 1000;

    /**
     * How long a closing connection may take to get its close frame out. A client that never reads
     * keeps the socket's buffer full, so the close frame would wait for ever: past this, the socket
     * is dropped.
     */
    static final long CLOSE_WRITE_DEADLINE_MILLIS = 3000;

    /** Most text frames written in one socket write. */
    static final int MAX_FRAMES_PER_WRITE = 64;

    private final ConnectionId id;
    private final WsSession ws;
    private final Supplier<WriterSettings> settings;
    private final Executor writers;
    private final GatewayMetrics metrics;
    /** The socket of a Helidon server connection, for batched text frames; null otherwise (tests). */
    private final DataWriter socket;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Opens once nothing more will be written: the close frame went out, or the socket is gone. */
    private final CountDownLatch finished = new CountDownLatch(1);
    private int events;
    private boolean draining;
    /** Until ready (or a close) is queued nothing is written: ready must be the first frame. */
    private boolean held = true;
    private boolean closing;
    /** The data of the pong waiting in the queue, or null when none waits: at most one is queued. */
    private byte[] pendingPong;
    private volatile Runnable onEnd = () -> { };
    /** How event frames look on this connection's wire: null for the primary protocol, else its dialect's renderer. */
    private volatile java.util.function.Function<io.relaymesh.domain.model.Envelope, byte[]> renderer;
    private volatile long lastSeenNanos = System.nanoTime();
    private volatile long lastPingNanos = System.nanoTime();

    public WsConnection(ConnectionId id, WsSession ws, Supplier<WriterSettings> settings, Executor writers,
                        GatewayMetrics metrics) {
        this.id = id;
        this.ws = ws;
        this.settings = settings;
        this.writers = writers;
        this.metrics = metrics;
        this.socket = ws instanceof io.helidon.webserver.websocket.WsConnection helidon
                && helidon.socketContext() instanceof ConnectionContext context ? context.dataWriter() : null;
    }

    @Override
    public ConnectionId id() {
        return id;
    }

    /** Sets what runs once when the connection ends, however it ends. */
    public void onEnd(Runnable action) {
        this.onEnd = action;
        if (ended.get()) {
            action.run();
        }
    }

    @Override
    public Offer offer(ServerMessage message) {
        if (message instanceof ServerMessage.Ready) {
            return enqueueReady() ? Offer.QUEUED : Offer.REJECTED;
        }
        if (!(message instanceof ServerMessage.EventFrame)) {
            // Pong and error frames are few and must not be dropped: no capacity check.
            return enqueueControl(new Text(message)) ? Offer.QUEUED : Offer.REJECTED;
        }
        WriterSettings s = settings.get();
        boolean slow = false;
        lock.lock();
        try {
            if (closing) {
                metrics.messageDropped("closed");
                return Offer.REJECTED;
            }
            Offer result = Offer.QUEUED;
            if (events >= s.bufferSize()) {
                if (s.dropOldest()) {
                    dropOldestEvent();
                    metrics.messageDropped("drop_oldest");
                    result = Offer.QUEUED_DROPPED_OLDEST;
                } else {
                    long nanos = s.blockTimeout().toNanos();
                    while (events >= s.bufferSize() && nanos > 0 && !closing) {
                        nanos = notFull.awaitNanos(nanos);
                    }
                    if (closing) {
                        metrics.messageDropped("closed");
                        return Offer.REJECTED;
                    }
                    slow = events >= s.bufferSize();
                }
            }
            if (!slow) {
                queue.add(new Text(message));
                events++;
                scheduleDrain();
                return result;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Offer.REJECTED;
        } finally {
            lock.unlock();
        }
        metrics.messageDropped("slow_consumer");
        fail(ErrorCode.SlowConsumer, "the client did not read its frames fast enough (buffer of "
                + s.bufferSize() + " full for " + s.blockTimeout().toMillis() + " ms)");
        return Offer.REJECTED;
    }

    /** Renders event frames with a dialect's renderer instead of the primary protocol's. */
    public void renderEventsWith(java.util.function.Function<io.relaymesh.domain.model.Envelope, byte[]> renderer) {
        this.renderer = renderer;
    }

    /**
     * Lets the writer start without a {@code ready} frame (a dialect's connection says what its
     * own protocol says); frames queued so far go out in order.
     */
    public void release() {
        lock.lock();
        try {
            held = false;
            scheduleDrain();
        } finally {
            lock.unlock();
        }
    }

    /** Queues a WebSocket ping (liveness check). */
    public void ping() {
        lastPingNanos = System.nanoTime();
        enqueueControl(new Ping());
    }

    /**
     * Queues a WebSocket pong answering a client ping. A pong already waiting takes the new data
     * instead of a second pong being queued (RFC 6455 §5.5.3 lets a pong answer only the latest
     * ping), so a client that pings without reading costs one pending pong, not one per ping.
     */
    public void pong(byte[] data) {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            boolean queued = pendingPong != null;
            pendingPong = data;
            if (!queued) {
                queue.add(new Pong());
                scheduleDrain();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Control frames (pings, pongs, close) waiting in the queue. */
    public int queuedControlFrames() {
        lock.lock();
        try {
            return (int) queue.stream().filter(i -> !(i instanceof Text)).count();
        } finally {
            lock.unlock();
        }
    }

    /** Records that the client showed signs of life (any frame, ping or pong). */
    public void seen() {
        lastSeenNanos = System.nanoTime();
    }

    public long lastSeenNanos() {
        return lastSeenNanos;
    }

    public long lastPingNanos() {
        return lastPingNanos;
    }

    @Override
    public void fail(ErrorCode code, String message) {
        fail(code, message, io.relaymesh.adapters.web.dialect.primary.CloseCodes.of(code));
    }

    /**
     * An error frame naming the problem, then a close with {@code closeCode} (which may differ from
     * the code's own, e.g. 1007 or 1002 for protocol errors).
     */
    public void fail(ErrorCode code, String message, int closeCode) {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            // Queued events will not be read by anyone: count and discard them.
            dropAllEvents();
            queue.add(new Text(new ServerMessage.Error(code, message, "")));
            queue.add(new Close(closeCode, code.name()));
            notFull.signalAll();
            scheduleDrain();
        } finally {
            lock.unlock();
        }
        dropIfCloseStuck();
        end();
    }

    @Override
    public void close(int closeCode, String reason) {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            queue.add(new Close(closeCode, reason));
            notFull.signalAll();
            scheduleDrain();
        } finally {
            lock.unlock();
        }
        dropIfCloseStuck();
        end();
    }

    /** Drops the socket if the close frame is not out within {@link #CLOSE_WRITE_DEADLINE_MILLIS}. */
    private void dropIfCloseStuck() {
        java.util.concurrent.CompletableFuture.delayedExecutor(CLOSE_WRITE_DEADLINE_MILLIS, TimeUnit.MILLISECONDS, writers)
                .execute(() -> {
                    if (finished.getCount() > 0) {
                        LOG.fine(() -> "connection " + id + ": close frame not written in time; dropping the socket");
                        dropSocket();
                        finished.countDown();
                    }
                });
    }

    /**
     * Drops the connection without a close handshake (the client is gone: no pong, failed send).
     * Helidon may not call onClose in that case, so the end action runs here.
     */
    public void terminate(String why) {
        stopQueueing();
        LOG.fine(() -> "connection " + id + " terminated: " + why);
        dropSocket();
        end();
    }

    /** The client closed or the socket failed: stop queueing and run the end action. */
    public void ended() {
        stopQueueing();
        end();
    }

    /** Refuses further frames and discards queued ones (nobody will read them). */
    private void stopQueueing() {
        lock.lock();
        try {
            closing = true;
            dropAllEvents();
            queue.clear();
            pendingPong = null;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        finished.countDown();
    }

    /**
     * Waits until this connection will write nothing more (its close frame is on the wire, or its
     * socket is gone), at most until {@code deadlineNanos}; true if it got there. Shutdown waits on
     * this so that stopping the server does not cut a close frame still in the queue.
     */
    public boolean awaitFinished(long deadlineNanos) throws InterruptedException {
        return finished.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    public boolean isClosing() {
        lock.lock();
        try {
            return closing;
        } finally {
            lock.unlock();
        }
    }

    /** Frames queued and not yet written. */
    public int queued() {
        lock.lock();
        try {
            return events;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues ready ahead of everything queued so far and lets the writer start. The gateway joins
     * the connection's routes before it says ready, so that an event published once the client has
     * seen ready reaches it; events queued in between wait behind ready.
     */
    private boolean enqueueReady() {
        lock.lock();
        try {
            if (closing) {
                return false;
            }
            queue.addFirst(new Text(new ServerMessage.Ready()));
            held = false;
            scheduleDrain();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean enqueueControl(Item item) {
        lock.lock();
        try {
            if (closing) {
                return false;
            }
            queue.add(item);
            scheduleDrain();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            try {
                onEnd.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cleanup of connection " + id + " failed", e);
            }
        }
    }

    private void dropOldestEvent() {
        Iterator<Item> it = queue.iterator();
        while (it.hasNext()) {
            if (it.next() instanceof Text t && t.message() instanceof ServerMessage.EventFrame) {
                it.remove();
                events--;
                return;
            }
        }
    }

    private void dropAllEvents() {
        Iterator<Item> it = queue.iterator();
        while (it.hasNext()) {
            if (it.next() instanceof Text t && t.message() instanceof ServerMessage.EventFrame) {
                it.remove();
                events--;
                metrics.messageDropped("closed");
            }
        }
    }

    private void scheduleDrain() {
        if (held && !closing) {
            return;
        }
        if (!draining) {
            draining = true;
            writers.execute(this::drain);
        }
    }

    private void drain() {
        List<Item> batch = new ArrayList<>();
        byte[] pongData = null;
        while (true) {
            lock.lock();
            try {
                Item item = queue.poll();
                if (item == null) {
                    draining = false;
                    return;
                }
                if (item instanceof Pong) {
                    pongData = pendingPong;
                    pendingPong = null;
                }
                batch.add(item);
                // Text frames queued together go out in one socket write (see writeTexts).
                while (item instanceof Text && batch.size() < MAX_FRAMES_PER_WRITE
                        && queue.peek() instanceof Text) {
                    item = queue.poll();
                    batch.add(item);
                }
                for (Item taken : batch) {
                    if (taken instanceof Text t && t.message() instanceof ServerMessage.EventFrame) {
                        events--;
                        notFull.signal();
                    }
                }
            } finally {
                lock.unlock();
            }
            try {
                if (batch.getFirst() instanceof Text) {
                    writeTexts(batch);
                } else if (batch.getFirst() instanceof Pong) {
                    ws.pong(BufferData.create(pongData == null ? new byte[0] : pongData));
                } else {
                    write(batch.getFirst());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "send to connection " + id + " failed; dropping it", e);
                lock.lock();
                try {
                    draining = false;
                } finally {
                    lock.unlock();
                }
                terminate("send failed: " + e.getMessage());
                return;
            }
            batch.clear();
        }
    }

    /**
     * Writes text frames. On a Helidon server connection the frames are encoded here and written
     * together in one socket write: the sockets have Nagle's algorithm off (so a lone frame leaves
     * at once), and a client that falls behind gets its backlog in one system call instead of one
     * per frame. This writer is the only one writing data frames to the socket, as it is for
     * {@link WsSession#send}; the frames are the same bytes Helidon would write (FIN, text opcode,
     * unmasked, as a server must).
     */
    private void writeTexts(List<Item> texts) {
        if (socket == null) {
            texts.forEach(this::write);
            return;
        }
        byte[][] payloads = new byte[texts.size()][];
        int size = 0;
        for (int i = 0; i < payloads.length; i++) {
            payloads[i] = FrameCodec.utf8(((Text) texts.get(i)).message(), renderer);
            size += FrameCodec.headerLength(payloads[i].length) + payloads[i].length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] payload : payloads) {
            at = FrameCodec.writeTextHeader(out, at, payload.length);
            System.arraycopy(payload, 0, out, at, payload.length);
            at += payload.length;
        }
        socket.writeNow(BufferData.create(out));
        for (Item item : texts) {
            sent(((Text) item).message());
        }
    }

    private void write(Item item) {
        switch (item) {
            case Text text -> {
                ws.send(new String(FrameCodec.utf8(text.message(), renderer), java.nio.charset.StandardCharsets.UTF_8), true);
                sent(text.message());
            }
            case Ping ping -> ws.ping(BufferData.empty());
            case Pong pong -> ws.pong(BufferData.empty()); // drain() writes pongs with their data
            case Close close -> {
                try {
                    ws.close(close.code(), close.reason());
                } finally {
                    finished.countDown();
                }
                dropAfterGrace();
            }
        }
    }

    private void sent(ServerMessage message) {
        if (message instanceof ServerMessage.EventFrame event) {
            metrics.messageSent();
            long published = event.event().publishedAtMillis();
            if (published > 0) {
                metrics.deliveryLatency(Math.max(0, System.currentTimeMillis() - published));
            }
        }
    }

    /**
     * A client that never answers our close frame would keep its socket (and a file descriptor)
     * for ever: give it a moment to answer, then drop the socket. This runs on the writer's own
     * virtual thread, which has nothing else to do once the close is sent.
     */
    private void dropAfterGrace() {
        try {
            Thread.sleep(CLOSE_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dropSocket();
    }

    /**
     * Closes the socket from any thread. {@link WsSession#terminate()} only works on Helidon's
     * reader thread (it throws to unwind it); closing the server connection with interrupt stops
     * the reader, and interrupting a virtual thread blocked on a socket closes that socket.
     */
    private void dropSocket() {
        try {
            if (ws instanceof ServerConnection connection) {
                connection.close(true);
            } else {
                ws.terminate();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINEST, "socket of " + id + " already gone", e);
        }
    }

    static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
