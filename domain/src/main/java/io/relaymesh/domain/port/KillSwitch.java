package io.relaymesh.domain.port;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Asks the pod that owns a session to close it: for a session migration (a newer connection wants
 * it) or because an administrator kicked it. Thread-safe.
 */
public interface KillSwitch {

    /** Why a session is to be closed; it decides the error the client gets. */
    enum Reason {
        /** A newer connection wants the session (the client gets SessionConflict). */
        TAKEOVER,
        /** An administrator closed it (the client gets SessionKicked). */
        KICK
    }

    /** A request to close {@code victim}'s connection, which holds {@code key}, for {@code reason}. */
    record KillRequest(SessionKey key, SessionOwner victim, Reason reason) {
        public KillRequest {
            Objects.requireNonNull(key, "session_key");
            Objects.requireNonNull(victim, "victim");
            Objects.requireNonNull(reason, "reason");
        }

        /** A take-over request: a newer connection wants {@code key}. */
        public KillRequest(SessionKey key, SessionOwner victim) {
            this(key, victim, Reason.TAKEOVER);
        }
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
