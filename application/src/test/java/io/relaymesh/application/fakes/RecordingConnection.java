package io.relaymesh.application.fakes;

import io.relaymesh.application.connection.ClientConnection;
import io.relaymesh.application.connection.ServerMessage;
import io.relaymesh.application.connection.ErrorCode;
import io.relaymesh.domain.model.ConnectionId;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A client connection that records what it was offered and how it was ended. It answers offers
 * with a chosen {@link ClientConnection.Offer} (QUEUED unless told otherwise). Thread-safe.
 */
public final class RecordingConnection implements ClientConnection {

    /** One call of {@link #fail}. */
    public record Failure(ErrorCode code, String message) {
    }

    /** One call of {@link #close}. */
    public record Close(int code, String reason) {
    }

    private final ConnectionId id;
    private final List<ServerMessage> offered = new CopyOnWriteArrayList<>();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final List<Close> closes = new CopyOnWriteArrayList<>();
    private volatile Offer answer = Offer.QUEUED;

    public RecordingConnection(String id) {
        this.id = new ConnectionId(id);
    }

    /** Makes later offers report {@code offer} (e.g. REJECTED, as a closing connection would). */
    public RecordingConnection answering(Offer offer) {
        this.answer = offer;
        return this;
    }

    @Override
    public ConnectionId id() {
        return id;
    }

    @Override
    public Offer offer(ServerMessage message) {
        offered.add(message);
        return answer;
    }

    @Override
    public void fail(ErrorCode code, String message) {
        failures.add(new Failure(code, message));
    }

    @Override
    public void close(int closeCode, String reason) {
        closes.add(new Close(closeCode, reason));
    }

    public List<ServerMessage> offered() {
        return List.copyOf(offered);
    }

    /** The offered frames of type {@code type}, in order. */
    public <T extends ServerMessage> List<T> offered(Class<T> type) {
        return offered.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public List<Failure> failures() {
        return List.copyOf(failures);
    }

    /** The codes this connection was failed with, in order. */
    public List<ErrorCode> failureCodes() {
        return failures.stream().map(Failure::code).toList();
    }

    public List<Close> closes() {
        return List.copyOf(closes);
    }

    @Override
    public String toString() {
        return "RecordingConnection[" + id + "]";
    }
}
