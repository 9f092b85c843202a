package io.relaymesh.application.admin;

import io.relaymesh.application.connection.SessionManager;
import io.relaymesh.application.settings.GatewaySettings;
import io.relaymesh.domain.model.Listing;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.KillSwitch;
import io.relaymesh.domain.port.SessionCatalog;
import io.relaymesh.domain.port.SessionCatalog.HeldSession;
import io.relaymesh.domain.port.SessionLocks;

import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Operators' view of sessions cluster-wide: list them, and kick one wherever it is. A kick closes
 * the connection with {@code SessionKicked} and releases its lock, so the user may
 * reconnect at once: on this pod directly, on another pod through the {@link KillSwitch} (which
 * carries the reason), and a lock left by a pod that no longer listens is released here. The kick
 * waits up to the take-over timeout for the lock to go. Thread-safe (stateless).
 */
public final class SessionAdmin {
    private static final Logger LOG = Logger.getLogger(SessionAdmin.class.getName());
    private static final long POLL_MILLIS = 25;

    /** Outcome of a kick. */
    public sealed interface Kick {
        /** The session was held by {@code pod}; {@code released} says whether its lock is gone yet. */
        record Kicked(SessionKey key, PodId pod, boolean released) implements Kick {
        }

        record NotFound(SessionKey key) implements Kick {
        }
    }

    private final PodId self;
    private final SessionCatalog catalog;
    private final SessionLocks locks;
    private final KillSwitch killSwitch;
    private final SessionManager sessions;
    private final Supplier<GatewaySettings> settings;

    public SessionAdmin(PodId self, SessionCatalog catalog, SessionLocks locks, KillSwitch killSwitch,
                        SessionManager sessions, Supplier<GatewaySettings> settings) {
        this.self = self;
        this.catalog = catalog;
        this.locks = locks;
        this.killSwitch = killSwitch;
        this.sessions = sessions;
        this.settings = settings;
    }

    /**
     * Sessions whose company, agent, user or admin id contains {@code query} (case-insensitive;
     * empty lists all), in key order, at most {@code limit}.
     */
    public Listing<HeldSession> list(String query, int limit) {
        TextFilter filter = new TextFilter(query);
        return catalog.list(key -> filter.matchesAny(key.ids()), limit);
    }

    /** Closes the session of {@code key} wherever it is held. */
    public Kick kick(SessionKey key) {
        Optional<SessionOwner> held = locks.owner(key);
        if (held.isEmpty()) {
            return new Kick.NotFound(key);
        }
        SessionOwner owner = held.get();
        LOG.info(() -> "session_key=" + key + " kick requested by an administrator; held by " + owner.encode());
        if (owner.pod().equals(self)) {
            sessions.kickLocal(key, owner);
            return new Kick.Kicked(key, owner.pod(), !ownedBy(key, owner));
        }
        if (!killSwitch.requestKill(new KillSwitch.KillRequest(key, owner, KillSwitch.Reason.KICK))) {
            // Nobody listens for that pod: it is gone, and only its lock is left.
            locks.release(key, owner);
        }
        return new Kick.Kicked(key, owner.pod(), awaitRelease(key, owner));
    }

    /** Waits up to the take-over timeout for {@code owner} to let go of {@code key}. */
    private boolean awaitRelease(SessionKey key, SessionOwner owner) {
        long deadline = System.nanoTime() + settings.get().takeoverTimeout().toNanos();
        while (ownedBy(key, owner)) {
            if (System.nanoTime() > deadline) {
                LOG.warning(() -> "session_key=" + key + " still held by " + owner.encode() + " after the kick");
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private boolean ownedBy(SessionKey key, SessionOwner owner) {
        return locks.owner(key).filter(owner::equals).isPresent();
    }
}
