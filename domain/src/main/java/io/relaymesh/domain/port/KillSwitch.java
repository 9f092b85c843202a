package io.relaymesh.domain.port;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;

import java.util.function.Consumer;

/**
 * Session migration: asks the pod that owns a session to close it. Thread-safe.
 */
public interface KillSwitch {

    /** A request to close {@code victim}'s connection because a newer one wants {@code key}. */
    record KillRequest(SessionKey key, SessionOwner victim) {
    }

    /**
     * Sends a kill request to the pod of {@code request.victim()}.
     *
     * @return whether a listener of that pod received it; false means the pod is not listening
     *         (crashed or gone), so its sessions may be taken over at once
     */
    boolean requestKill(KillRequest request);

    /**
     * Listens for kill requests addressed to {@code pod}; the handler runs off the caller's thread.
     *
     * @return a handle that stops listening when closed
     */
    AutoCloseable listen(PodId pod, Consumer<KillRequest> handler);
}
