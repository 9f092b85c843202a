package io.relaymesh.application.connection;

import io.relaymesh.domain.error.ErrorCode;
import io.relaymesh.domain.model.Event;

import java.util.Objects;
import java.util.function.Function;

/** A frame from the server to a client; the web adapter renders each case as JSON. */
public sealed interface ServerMessage {
    /** Authenticated and the session is held. */
    record Ready() implements ServerMessage {
    }

    /**
     * An event; its payload is sent unchanged. One frame object is offered to every connection the
     * event goes to, so the web adapter encodes it once ({@link #encoded}) rather than once per
     * connection. Equal when the events are equal; thread-safe.
     */
    final class EventFrame implements ServerMessage {
        private final Event event;
        private volatile Object encoded;

        public EventFrame(Event event) {
            this.event = Objects.requireNonNull(event, "event");
        }

        public Event event() {
            return event;
        }

        /**
         * The frame as {@code encoder} encodes it, computed by the first caller and kept: every
         * caller must pass the same encoder. Two threads may both compute it once; both results
         * are equal.
         */
        @SuppressWarnings("unchecked")
        public <T> T encoded(Function<Event, T> encoder) {
            Object value = encoded;
            if (value == null) {
                value = encoder.apply(event);
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

    /** Answer to an application-level ping. */
    record Pong() implements ServerMessage {
    }

    /** An error; when {@code fatal}, the connection is closed with the code's close code after it. */
    record Error(ErrorCode code, String message, String details) implements ServerMessage {
    }
}
