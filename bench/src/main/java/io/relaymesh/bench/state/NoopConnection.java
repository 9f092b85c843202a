package io.relaymesh.bench.state;

import io.relaymesh.application.connection.ClientConnection;
import io.relaymesh.application.connection.ServerMessage;
import io.relaymesh.application.connection.ErrorCode;
import io.relaymesh.domain.model.ConnectionId;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection without a socket: takes every frame and forgets it, so that only the Redis side of
 * a connect, select_chat or disconnect is measured. Counts the closes it was asked for, which a
 * healthy run never does. Thread-safe.
 */
public final class NoopConnection implements ClientConnection {
    private static final AtomicInteger FAILED = new AtomicInteger();
    private final ConnectionId id;

    public NoopConnection(String id) {
        this.id = new ConnectionId(id);
    }

    /** How many connections the gateway failed or closed (lost lock, expired token …) since start. */
    public static int failures() {
        return FAILED.get();
    }

    @Override
    public ConnectionId id() {
        return id;
    }

    @Override
    public Offer offer(ServerMessage message) {
        return Offer.QUEUED;
    }

    @Override
    public void fail(ErrorCode code, String message) {
        FAILED.incrementAndGet();
    }

    @Override
    public void close(int closeCode, String reason) {
        FAILED.incrementAndGet();
    }
}
