package io.relaymesh.domain.port;

/** Generates unique ids (connection ids, event ids), as a port so tests can predict them. */
public interface IdGenerator {
    String next();
}
