package io.relaymesh.application.dialect;

import io.relaymesh.application.connection.LocalSession;

/** An admitted connection of a dialect, as its frame handler sees it. */
public record DialectSession(Dialect dialect, LocalSession session) {
}
