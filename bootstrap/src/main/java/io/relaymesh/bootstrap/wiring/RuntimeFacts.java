package io.relaymesh.bootstrap.wiring;

import io.relaymesh.bootstrap.config.GeneratedSecrets;
import io.relaymesh.domain.model.PodId;

import java.util.Objects;

/**
 * Facts about the running process that are not configuration.
 *
 * @param podId          this pod's id
 * @param openFileLimit  the process's open-file limit, or -1 when unknown
 * @param onListenerDead what to do when the HTTP/WebSocket listener dies (Main exits)
 * @param generated      the auth keys this run generated (standalone without configured keys): the
 *                       only ones {@code /dashboard/defaults} may hand out
 */
public record RuntimeFacts(PodId podId, long openFileLimit, Runnable onListenerDead, GeneratedSecrets generated) {
    public RuntimeFacts {
        Objects.requireNonNull(generated, "generated");
    }

    /** Facts of a run that generated no key. */
    public RuntimeFacts(PodId podId, long openFileLimit, Runnable onListenerDead) {
        this(podId, openFileLimit, onListenerDead, GeneratedSecrets.none());
    }
}
