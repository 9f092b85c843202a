package io.relaymesh.application.connection;

/** A frame from a client, as parsed by the web adapter. */
public sealed interface ClientMessage {
    /** Subscribe to one chat's messages (replacing the previous selection). */
    record SelectChat(String chatId) implements ClientMessage {
    }

    /** Application-level keep-alive; answered with {@link ServerMessage.Pong}. */
    record Ping() implements ClientMessage {
    }
}
