package io.relaymesh.application.connection;

import io.relaymesh.domain.model.ConnectionId;

/**
 * A client's connection as the use cases see it; implemented by the web adapter. Implementations
 * are thread-safe: any thread may offer or close, and one writer sends in order.
 */
public interface ClientConnection {

    /** What happened to an offered frame. */
    enum Offer {
        /** Queued for the writer. */
        QUEUED,
        /** Queued, and the oldest queued frame was dropped to make room (drop_oldest policy). */
        QUEUED_DROPPED_OLDEST,
        /** Not queued: the connection is closing or closed (or was just closed as too slow). */
        REJECTED
    }

    ConnectionId id();

    /**
     * Queues a frame for the connection's writer under the back-pressure policy; never blocks for
     * long. {@link ServerMessage.Ready} is written before every frame offered earlier, and nothing
     * but an error and the close is written before it.
     */
    Offer offer(ServerMessage message);

    /**
     * From now until {@link #endReplay}, event frames offered are held apart: the client is being
     * given what it missed, which must come first.
     */
    default void beginReplay() {
    }

    /**
     * Queues {@code replayed} (oldest first), then the events held since {@link #beginReplay}
     * that are not among them (by id), in the order they came, and goes back to queueing events
     * as they come.
     */
    default void endReplay(java.util.List<ServerMessage.EventFrame> replayed) {
        replayed.forEach(this::offer);
    }

    /** Sends an error frame, then closes with the code's close code. Idempotent. */
    void fail(ErrorCode code, String message);

    /** Closes with a plain close code (1000 normal, 1001 going away). Idempotent. */
    void close(int closeCode, String reason);
}
