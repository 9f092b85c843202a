package io.relaymesh.application.dialect.conversations;

import io.relaymesh.application.connection.LocalSession;

import java.time.Duration;

/** What the use case asks of the dialect's codec: the frames it sends on its own. Thread-safe. */
public interface ConversationsClients {
    /** Tells {@code session} it was silent for {@code idle} and closes it. */
    void closeIdle(LocalSession session, Duration idle);
}
