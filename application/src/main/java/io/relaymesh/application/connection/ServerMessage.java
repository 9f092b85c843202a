package io.relaymesh.application.connection;

import io.relaymesh.domain.error.ErrorCode;
import io.relaymesh.domain.model.Event;

/** A frame from the server to a client; the web adapter renders each case as JSON. */
public sealed interface ServerMessage {
    /** Authenticated and the session is held. */
    record Ready() implements ServerMessage {
    }

    /** An event; its payload is sent unchanged. */
    record EventFrame(Event event) implements ServerMessage {
    }

    /** Answer to an application-level ping. */
    record Pong() implements ServerMessage {
    }

    /** An error; when {@code fatal}, the connection is closed with the code's close code after it. */
    record Error(ErrorCode code, String message, String details) implements ServerMessage {
    }
}
