package io.relaymesh.application.connection;

import io.relaymesh.domain.model.Envelope;

import java.util.Objects;
import java.util.function.Function;

/** A frame from the server to a client; the web adapter renders each case as JSON. */
public sealed interface ServerMessage {
    /**
     * Authenticated and the session is held. {@code recovered} is null unless the client asked to
     * resume: then whether every event it missed follows.
     */
    record Ready(Boolean recovered) implements ServerMessage {
        public Ready() {
            this(null);
        }
    }

    /**
     * A {@code select_chat} that asked to resume ({@code since}) was done: {@code recovered} says
     * whether every missed event of the chat follows (else the app should reload the chat).
     */
    record ChatSelected(String chatId, boolean recovered) implements ServerMessage {
    }

    /**
     * An event; its payload is sent unchanged. One frame object is offered to every connection the
     * event goes to, so the web adapter encodes it once ({@link #encoded}) rather than once per
     * connection. Equal when the events are equal; thread-safe.
     */
    final class EventFrame implements ServerMessage {
        private final Envelope event;
        private volatile Object encoded;
        private volatile Object encoder;

        public EventFrame(Envelope event) {
            this.event = Objects.requireNonNull(event, "event");
        }

        public Envelope event() {
            return event;
        }

        /**
         * The frame as {@code encoder} encodes it, computed by the first caller and kept for
         * callers passing the same encoder (one per dialect); another encoder computes its own.
         * Two threads may both compute it once; both results are equal.
         */
        @SuppressWarnings("unchecked")
        public <T> T encoded(Function<Envelope, T> encoder) {
            Object value = encoded;
            if (value != null && this.encoder == encoder) {
                return (T) value;
            }
            value = encoder.apply(event);
            if (this.encoder == null) {
                // The first encoder keeps its result: an envelope goes to one dialect's clients.
                this.encoder = encoder;
                encoded = value;
            }
            return (T) value;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof EventFrame frame && frame.event.equals(event);
        }

        @Override
        public int hashCode() {
            return event.hashCode();
        }

        @Override
        public String toString() {
            return "EventFrame[event=" + event + "]";
        }
    }

    /** A dialect's own frame, JSON text written as it is. */
    record Text(String json) implements ServerMessage {
    }

    /** Answer to an application-level ping. */
    record Pong() implements ServerMessage {
    }

    /** An error; when {@code fatal}, the connection is closed with the code's close code after it. */
    record Error(ErrorCode code, String message, String details) implements ServerMessage {
    }
}
