package io.relaymesh.application.connection;

/** A frame from a client, as parsed by the web adapter. */
public sealed interface ClientMessage {
    /**
     * Subscribe to one chat's messages (replacing the previous selection); with {@code since} (a
     * position, else null), first get the chat's messages after it.
     */
    record SelectChat(String chatId, String since) implements ClientMessage {
        public SelectChat(String chatId) {
            this(chatId, null);
        }
    }

    /** Application-level keep-alive; answered with {@link ServerMessage.Pong}. */
    record Ping() implements ClientMessage {
    }
}
