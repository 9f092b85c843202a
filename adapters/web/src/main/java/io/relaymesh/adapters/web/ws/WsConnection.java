package io.relaymesh.adapters.web.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsSession;
import io.relaymesh.adapters.web.ws.OutboundQueue.Close;
import io.relaymesh.adapters.web.ws.OutboundQueue.Item;
import io.relaymesh.adapters.web.ws.OutboundQueue.Ping;
import io.relaymesh.adapters.web.ws.OutboundQueue.Pong;
import io.relaymesh.adapters.web.ws.OutboundQueue.Text;
import io.relaymesh.application.connection.ClientConnection;
import io.relaymesh.application.connection.ServerMessage;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.application.connection.ErrorCode;
import io.relaymesh.domain.model.ConnectionId;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WebSocket connection's outbound side. Helidon's {@link WsSession#send} is not thread-safe,
 * so every write (frames, pings, pongs, close) goes through one {@link OutboundQueue} drained by
 * one task at a time on a virtual thread; the task exists only while there is something to write,
 * and so does the queue, so an idle connection costs neither a thread nor a queue.
 *
 * <p><b>Back-pressure.</b> Events may arrive faster than one socket write (a burst from the
 * stream), so a client that reads must be allowed any number of queued frames; the policy of
 * {@link WriterSettings} acts only on a client that is not draining. "Not draining" is measured
 * on the socket itself: writes are blocking ({@code writeNow} returns once the kernel took every
 * byte, and blocks while the client's receive window and our send buffer are full), so the time
 * since the writer last <em>finished</em> a write, while frames wait, is how long the socket has
 * stopped taking data. A write carries at most {@link #MAX_BYTES_PER_WRITE}, so a client that
 * reads even slowly finishes one well within the stall timeout. The backlog is counted in frames
 * (queued) and bytes (queued plus the write in flight; an event's bytes are known once encoded,
 * which happens once per event, not per connection). A client cut for it gets SlowConsumer/1008.
 *
 * <p>Replies (pongs, error frames) are never dropped but bounded: a client with
 * {@link OutboundQueue#MAX_QUEUED_REPLIES} unread is cut too.
 *
 * <p>Thread-safe: offer/close may be called from any thread.
 */
public final class WsConnection implements ClientConnection {
    private static final Logger LOG = Logger.getLogger(WsConnection.class.getName());

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

    /**
     * Most bytes of text frames written in one socket write (a larger frame goes alone): one write
     * stays short enough that a client reading at all finishes it well within the stall timeout,
     * and its buffer stays small.
     */
    static final int MAX_BYTES_PER_WRITE = 64 * 1024;

    /** The {@code reason} of {@code relaymesh_websocket_messages_dropped_total}. */
    static final String DROP_OLDEST = "drop_oldest";
    static final String SLOW_CONSUMER = "slow_consumer";
    static final String CLOSED = "closed";
    static final String BACKLOG_LIMIT = "backlog_limit";

    /** The close reason of a client cut at the hard byte limit: the code's name, and the limit's key. */
    static final String HARD_LIMIT_CLOSE_REASON = ErrorCode.SlowConsumer.name() + " (app.websocket_hard_backlog_bytes)";

    private final ConnectionId id;
    private final WsSession ws;
    private final Supplier<WriterSettings> settings;
    private final Executor writers;
    private final GatewayMetrics metrics;
    /** The socket of a Helidon server connection, for batched text frames; null otherwise (tests). */
    private final DataWriter socket;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a write finishes or the connection closes; made by the first offer that waits (block). */
    private Condition progressed;
    /** What is left to write; null when nothing is. */
    private OutboundQueue queue;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Opens once nothing more will be written: the close frame went out, or the socket is gone. */
    private final CountDownLatch finished = new CountDownLatch(1);
    /** Bytes on the wire of the event frames in the write in progress. */
    private long inFlightBytes;
    /** When the writer last finished a write, or started with nothing in flight (see {@link #stalledNanos}). */
    private long progressNanos;
    private boolean draining;
    /** Until ready (or a close) is queued nothing is written: ready must be the first frame. */
    private boolean held = true;
    /** While a resuming client is given what it missed, live events wait in {@link #heldLive}. */
    private volatile boolean replaying;
    private java.util.List<ServerMessage.EventFrame> heldLive;
    private boolean closing;
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
            return enqueueReady((ServerMessage.Ready) message) ? Offer.QUEUED : Offer.REJECTED;
        }
        if (message instanceof ServerMessage.EventFrame event) {
            return offerEvent(event);
        }
        // Pongs and error frames are replies: never dropped, bounded in number.
        return enqueueReply(message);
    }

    /** What an event meets that cannot be queued: the client is cut. */
    private enum Cut { SLOW, HARD_LIMIT }

    /**
     * Queues an event unless the client is slow (see {@link WriterSettings#slow}): then drop_oldest
     * drops its oldest events down to the buffer size, and block waits for it to catch up, then
     * cuts it. Past the hard byte limit any client is cut.
     */
    private Offer offerEvent(ServerMessage.EventFrame event) {
        if (replayed != null && replayed.isRepeat(event.event())) {
            return Offer.QUEUED; // given in the replay already; the stream's consumer was behind it
        }
        if (replaying) {
            lock.lock();
            try {
                if (replaying) {
                    heldLive.add(event);
                    return Offer.QUEUED;
                }
            } finally {
                lock.unlock();
            }
        }
        return queueEvent(event);
    }

    @Override
    public void beginReplay() {
        lock.lock();
        try {
            if (!replaying) {
                replaying = true;
                heldLive = new java.util.ArrayList<>();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * What a replay gave, to drop the same events when they come live later (a pod's consumer of the
     * stream may be behind the replay, which reads the stream itself): an event of the replay's
     * epoch at or below its last position whose id was replayed. Kept for a bounded time, the
     * longest a consumer lags before JetStream redelivers (the ack wait is 30 s by default).
     */
    private record Replayed(java.util.Set<String> ids, String epoch, long upTo, long untilNanos) {
        static final long KEEP_NANOS = TimeUnit.SECONDS.toNanos(60);

        boolean isRepeat(io.relaymesh.domain.model.Envelope event) {
            if (System.nanoTime() - untilNanos > 0 || !ids.contains(event.id())) {
                return false;
            }
            io.relaymesh.domain.port.EventHistory.Position at = io.relaymesh.domain.port.EventHistory.parse(
                    event.position());
            return at != null && at.epoch().equals(epoch) && at.sequence() <= upTo;
        }
    }

    private volatile Replayed replayed;

    @Override
    public void endReplay(java.util.List<ServerMessage.EventFrame> replayedFrames) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (ServerMessage.EventFrame frame : replayedFrames) {
            ids.add(frame.event().id());
            queueEvent(frame);
        }
        if (!replayedFrames.isEmpty()) {
            io.relaymesh.domain.port.EventHistory.Position last = io.relaymesh.domain.port.EventHistory.parse(
                    replayedFrames.getLast().event().position());
            if (last != null) {
                replayed = new Replayed(java.util.Set.copyOf(ids), last.epoch(), last.sequence(),
                        System.nanoTime() + Replayed.KEEP_NANOS);
            }
        }
        // Live events held meanwhile follow, once each; more may arrive while we queue: loop until
        // none is held, then let events through again (under the lock, so none slips in between).
        while (true) {
            java.util.List<ServerMessage.EventFrame> held;
            lock.lock();
            try {
                held = heldLive;
                if (held == null || held.isEmpty()) {
                    replaying = false;
                    heldLive = null;
                    return;
                }
                heldLive = new java.util.ArrayList<>();
            } finally {
                lock.unlock();
            }
            for (ServerMessage.EventFrame frame : held) {
                if (ids.add(frame.event().id())) {
                    queueEvent(frame);
                }
            }
        }
    }

    private Offer queueEvent(ServerMessage.EventFrame event) {
        WriterSettings s = settings.get();
        // Encoded once per event (cached on the shared frame): its size is known before it is queued.
        Text text = Text.of(event, renderer);
        int size = text.wireBytes();
        Cut cut;
        int framesThen;
        long bytesThen;
        long stalledThen;
        lock.lock();
        try {
            long waitNanos = s.dropOldest() ? 0 : s.blockTimeout().toNanos();
            while (true) {
                if (closing) {
                    metrics.messageDropped(CLOSED);
                    return Offer.REJECTED;
                }
                if (s.overHardLimit(backlog(), size)) {
                    cut = Cut.HARD_LIMIT;
                    break;
                }
                if (!s.slow(events() + 1, backlog() + size, stalledNanos())) {
                    queue().addEvent(text);
                    scheduleDrain();
                    return Offer.QUEUED;
                }
                if (s.dropOldest()) {
                    queue().addEvent(text);
                    while (queue.events() > s.bufferSize()) {
                        queue.dropOldestEvent();
                        metrics.messageDropped(DROP_OLDEST);
                    }
                    scheduleDrain();
                    return Offer.QUEUED_DROPPED_OLDEST;
                }
                if (waitNanos <= 0) {
                    cut = Cut.SLOW;
                    break;
                }
                waitNanos = progressed().awaitNanos(waitNanos);
            }
            framesThen = events();
            bytesThen = backlog();
            stalledThen = stalledNanos();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Offer.REJECTED;
        } finally {
            lock.unlock();
        }
        switch (cut) {
            case SLOW -> {
                metrics.messageDropped(SLOW_CONSUMER);
                cut("the client did not read its frames fast enough (" + framesThen + " frames, " + bytesThen
                        + " bytes waiting; socket not draining for " + TimeUnit.NANOSECONDS.toMillis(stalledThen)
                        + " ms; waited " + s.blockTimeout().toMillis() + " ms)", ErrorCode.SlowConsumer.name());
            }
            case HARD_LIMIT -> {
                metrics.messageDropped(BACKLOG_LIMIT);
                LOG.fine(() -> "connection " + id + ": backlog of " + bytesThen + " bytes past the hard limit; closing");
                cut("the client fell " + (bytesThen + size) + " bytes behind, past app.websocket_hard_backlog_bytes ("
                        + s.hardBacklogBytes() + "); reconnect", HARD_LIMIT_CLOSE_REASON);
            }
        }
        return Offer.REJECTED;
    }

    /** Answers a client's ping (Helidon 4.3 does not answer pings itself) with its data. */
    public void answerPing(BufferData ping) {
        byte[] data = new byte[ping.available()];
        ping.read(data);
        pong(data);
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

    /** Event frames queued (under the lock). */
    private int events() {
        return queue == null ? 0 : queue.events();
    }

    /** Bytes of event frames queued or in the write in progress (under the lock). */
    private long backlog() {
        return (queue == null ? 0 : queue.eventBytes()) + inFlightBytes;
    }

    /**
     * How long the writer has been waiting on the socket without finishing a write (0 when it has
     * nothing to write). Writes block while the socket takes no data, so this is how long the client
     * has not been draining.
     */
    private long stalledNanos() {
        return draining ? System.nanoTime() - progressNanos : 0;
    }

    private Condition progressed() {
        if (progressed == null) {
            progressed = lock.newCondition();
        }
        return progressed;
    }

    private void signalProgress() {
        if (progressed != null) {
            progressed.signalAll();
        }
    }

    private OutboundQueue queue() {
        if (queue == null) {
            queue = new OutboundQueue();
        }
        return queue;
    }

    /** Queues a WebSocket ping (liveness check); one that still waits to be written is enough. */
    public void ping() {
        lastPingNanos = System.nanoTime();
        lock.lock();
        try {
            if (!closing && queue().addPing()) {
                scheduleDrain();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a WebSocket pong answering a client ping. A pong already waiting takes the new data
     * instead, so a client that pings without reading costs one pending pong, not one per ping.
     */
    public void pong(byte[] data) {
        lock.lock();
        try {
            if (!closing && queue().setPong(data)) {
                scheduleDrain();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Control frames (ready, pings, pongs, replies, close) waiting in the queue. */
    public int queuedControlFrames() {
        lock.lock();
        try {
            return queue == null ? 0 : queue.controlFrames();
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
        if (queueFailure(code, message, closeCode, code.name())) {
            dropIfCloseStuck();
            end();
        }
    }

    /**
     * Closes a slow client as {@code SlowConsumer}, from a delivering thread. That thread may be a
     * transport's event loop (gRPC delivers there), so the end action, which releases the session
     * and its routes in the state store, runs on a writer thread instead.
     */
    private void cut(String message, String closeReason) {
        if (!queueFailure(ErrorCode.SlowConsumer, message, io.relaymesh.adapters.web.dialect.primary.CloseCodes.of(ErrorCode.SlowConsumer), closeReason)) {
            return;
        }
        dropIfCloseStuck();
        try {
            writers.execute(this::end);
        } catch (RejectedExecutionException e) {
            end(); // shutting down: nothing else is delivering
        }
    }

    /** Queues an error frame and the close after everything but events; false if already closing. */
    private boolean queueFailure(ErrorCode code, String message, int closeCode, String closeReason) {
        Text error = Text.of(new ServerMessage.Error(code, message, ""));
        lock.lock();
        try {
            if (closing) {
                return false;
            }
            closing = true;
            // Queued events will not be read by anyone: count and discard them.
            dropAllEvents();
            queue().addFailure(error, new Close(closeCode, closeReason));
            signalProgress();
            scheduleDrain();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close(int closeCode, String reason) {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            queue().addClose(new Close(closeCode, reason));
            signalProgress();
            scheduleDrain();
        } finally {
            lock.unlock();
        }
        dropIfCloseStuck();
        end();
    }

    /** Drops the socket if the close frame is not out within {@link #CLOSE_WRITE_DEADLINE_MILLIS}. */
    private void dropIfCloseStuck() {
        java.util.concurrent.CompletableFuture.delayedExecutor(CLOSE_WRITE_DEADLINE_MILLIS, TimeUnit.MILLISECONDS,
                        writers)
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
            queue = null;
            signalProgress();
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

    /** Event frames queued and not yet written. */
    public int queued() {
        lock.lock();
        try {
            return events();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes on the wire of the event frames queued or being written. */
    public long backlogBytes() {
        lock.lock();
        try {
            return backlog();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues ready ahead of everything queued so far and lets the writer start. The gateway joins
     * the connection's routes before it says ready, so that an event published once the client has
     * seen ready reaches it; events queued in between wait behind ready.
     */
    private boolean enqueueReady(ServerMessage.Ready message) {
        Text ready = Text.of(message);
        lock.lock();
        try {
            if (closing) {
                return false;
            }
            queue().addReadyFirst(ready);
            held = false;
            scheduleDrain();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a reply (a pong or an error frame). Replies are never dropped; a client that leaves
     * {@link OutboundQueue#MAX_QUEUED_REPLIES} of them unread is not reading, and is cut.
     */
    private Offer enqueueReply(ServerMessage message) {
        Text reply = Text.of(message);
        lock.lock();
        try {
            if (closing) {
                return Offer.REJECTED;
            }
            if (queue().addReply(reply)) {
                scheduleDrain();
                return Offer.QUEUED;
            }
        } finally {
            lock.unlock();
        }
        metrics.messageDropped(SLOW_CONSUMER);
        cut("the client left " + OutboundQueue.MAX_QUEUED_REPLIES + " replies unread", ErrorCode.SlowConsumer.name());
        return Offer.REJECTED;
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

    /** Discards and counts the queued events (under the lock). */
    private void dropAllEvents() {
        int dropped = queue == null ? 0 : queue.dropAllEvents();
        for (int i = 0; i < dropped; i++) {
            metrics.messageDropped(CLOSED);
        }
    }

    private void scheduleDrain() {
        if (held && !closing) {
            return;
        }
        if (!draining) {
            draining = true;
            // Nothing was in flight: the socket's stall is counted from now.
            progressNanos = System.nanoTime();
            writers.execute(this::drain);
        }
    }

    private void drain() {
        List<Item> batch = new ArrayList<>();
        while (true) {
            byte[] pongData = null;
            lock.lock();
            try {
                if (queue == null || queue.isEmpty()) {
                    draining = false;
                    queue = null; // an idle connection keeps no queue
                    return;
                }
                inFlightBytes = queue.takeWrite(batch, MAX_FRAMES_PER_WRITE, MAX_BYTES_PER_WRITE);
                if (batch.getFirst() instanceof Pong) {
                    pongData = queue.pongData();
                }
            } finally {
                lock.unlock();
            }
            try {
                if (batch.getFirst() instanceof Text) {
                    writeTexts(batch);
                } else if (pongData != null) {
                    ws.pong(BufferData.create(pongData));
                } else {
                    write(batch.getFirst());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "send to connection " + id + " failed; dropping it", e);
                lock.lock();
                try {
                    draining = false;
                    inFlightBytes = 0;
                } finally {
                    lock.unlock();
                }
                terminate("send failed: " + e.getMessage());
                return;
            }
            lock.lock();
            try {
                inFlightBytes = 0;
                progressNanos = System.nanoTime();
                signalProgress();
            } finally {
                lock.unlock();
            }
            batch.clear();
        }
    }

    /**
     * Writes text frames. On a Helidon server connection the frames (encoded when queued) are
     * written together in one socket write: the sockets have Nagle's algorithm off (so a lone frame leaves
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
        int size = 0;
        for (Item item : texts) {
            size += ((Text) item).wireBytes();
        }
        byte[] out = new byte[size];
        int at = 0;
        for (Item item : texts) {
            byte[] payload = ((Text) item).utf8();
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
                ws.send(new String(text.utf8(), StandardCharsets.UTF_8), true);
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
