package io.relaymesh.adapters.web.ws;

import io.relaymesh.application.connection.ServerMessage;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * What one connection has left to write, oldest first, with the counts the back-pressure policy
 * reads: event frames, their bytes on the wire, and the replies (pongs, errors) waiting. WebSocket
 * pings and pongs are coalesced here: at most one of each waits. A connection makes one only while
 * something waits, so an idle connection holds none.
 *
 * <p>Not thread-safe: {@link WsConnection} guards it with its lock.
 */
final class OutboundQueue {
    /** Replies (pongs to application pings, error frames) a client may leave unread before it is closed. */
    static final int MAX_QUEUED_REPLIES = 64;

    /** Something to write. */
    sealed interface Item {
    }

    /** A text frame and its JSON as UTF-8 (an event's is the encoding shared by every connection). */
    record Text(ServerMessage message, byte[] utf8) implements Item {
        static Text of(ServerMessage message) {
            return new Text(message, FrameCodec.utf8(message));
        }

        /** With a dialect's renderer for event frames (null: the primary protocol's). */
        static Text of(ServerMessage message,
                       java.util.function.Function<io.relaymesh.domain.model.Envelope, byte[]> renderer) {
            return new Text(message, FrameCodec.utf8(message, renderer));
        }

        boolean isEvent() {
            return message instanceof ServerMessage.EventFrame;
        }

        /** Bytes on the wire: header and payload. */
        int wireBytes() {
            return FrameCodec.headerLength(utf8.length) + utf8.length;
        }
    }

    record Ping() implements Item {
    }

    /** A pong; its data is the latest client ping's, taken when it is written (see {@link #pongData}). */
    record Pong() implements Item {
    }

    record Close(int code, String reason) implements Item {
    }

    private static final Ping PING = new Ping();
    private static final Pong PONG = new Pong();

    private final ArrayDeque<Item> items = new ArrayDeque<>(8);
    private int events;
    private long eventBytes;
    private int replies;
    private boolean pingQueued;
    /** The data of the pong waiting, or null when none waits. */
    private byte[] pendingPong;

    boolean isEmpty() {
        return items.isEmpty();
    }

    /** Event frames waiting. */
    int events() {
        return events;
    }

    /** Bytes on the wire of the event frames waiting. */
    long eventBytes() {
        return eventBytes;
    }

    /** Frames other than events waiting: ready, replies, pings, pongs, errors, the close. */
    int controlFrames() {
        return items.size() - events;
    }

    void addEvent(Text event) {
        items.add(event);
        events++;
        eventBytes += event.wireBytes();
    }

    /** Ready goes ahead of everything: events queued while the connection opened wait behind it. */
    void addReadyFirst(Text ready) {
        items.addFirst(ready);
    }

    /** Queues a reply; false, queueing nothing, when {@link #MAX_QUEUED_REPLIES} already wait. */
    boolean addReply(Text reply) {
        if (replies >= MAX_QUEUED_REPLIES) {
            return false;
        }
        items.add(reply);
        replies++;
        return true;
    }

    /** Queues an error frame and the close that ends the connection (not counted as replies). */
    void addFailure(Text error, Close close) {
        items.add(error);
        items.add(close);
    }

    void addClose(Close close) {
        items.add(close);
    }

    /** Queues a ping unless one waits already (a second would tell nothing more); true if queued. */
    boolean addPing() {
        if (pingQueued) {
            return false;
        }
        pingQueued = true;
        items.add(PING);
        return true;
    }

    /**
     * A pong answering a client ping. A pong already waiting takes the new data instead of a second
     * pong being queued (RFC 6455 §5.5.3 lets a pong answer only the latest ping); true if queued.
     */
    boolean setPong(byte[] data) {
        boolean queued = pendingPong != null;
        pendingPong = data;
        if (!queued) {
            items.add(PONG);
        }
        return !queued;
    }

    /** Removes the oldest waiting event; its bytes on the wire, or 0 when none waits. */
    int dropOldestEvent() {
        Iterator<Item> it = items.iterator();
        while (it.hasNext()) {
            if (it.next() instanceof Text text && text.isEvent()) {
                it.remove();
                events--;
                eventBytes -= text.wireBytes();
                return text.wireBytes();
            }
        }
        return 0;
    }

    /** Removes every waiting event; how many there were. */
    int dropAllEvents() {
        int dropped = events;
        items.removeIf(item -> item instanceof Text text && text.isEvent());
        events = 0;
        eventBytes = 0;
        return dropped;
    }

    /**
     * Moves the next write into {@code batch}: one control frame, or text frames queued together
     * (at most {@code maxFrames}, and {@code maxBytes} unless the first alone is larger). Returns
     * the bytes of the events taken, which are then in flight; nothing is taken when empty.
     */
    long takeWrite(List<Item> batch, int maxFrames, int maxBytes) {
        Item first = items.poll();
        if (first == null) {
            return 0;
        }
        batch.add(first);
        if (first instanceof Ping) {
            pingQueued = false;
        } else if (first instanceof Text text) {
            int bytes = text.wireBytes();
            while (batch.size() < maxFrames && items.peek() instanceof Text next
                    && bytes + next.wireBytes() <= maxBytes) {
                batch.add(items.poll());
                bytes += next.wireBytes();
            }
        }
        long inFlight = 0;
        for (Item item : batch) {
            if (item instanceof Text text) {
                if (text.isEvent()) {
                    events--;
                    eventBytes -= text.wireBytes();
                    inFlight += text.wireBytes();
                } else if (replies > 0 && !(text.message() instanceof ServerMessage.Ready)) {
                    // (the error frame of a failure is not counted: nothing is queued after it)
                    replies--;
                }
            }
        }
        return inFlight;
    }

    /** The data of the pong being written (the latest ping's); the next pong starts afresh. */
    byte[] pongData() {
        byte[] data = pendingPong == null ? new byte[0] : pendingPong;
        pendingPong = null;
        return data;
    }
}
