package io.relaymesh.bootstrap.wiring;

import io.relaymesh.domain.model.PodId;

/**
 * Facts about the running process that are not configuration.
 *
 * @param podId          this pod's id
 * @param openFileLimit  the process's open-file limit, or -1 when unknown
 * @param onListenerDead what to do when the HTTP/WebSocket listener dies (Main exits)
 */
public record RuntimeFacts(PodId podId, long openFileLimit, Runnable onListenerDead) {
}
