package io.relaymesh.application.connection;

import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.application.settings.GatewaySettings;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.KillSwitch;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.domain.port.SessionLocks;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes the exclusive session for a new connection. When another connection holds it: on this pod
 * it is closed with {@code SessionConflict} at once; on a dead pod (no heartbeat, or nobody
 * listening for its kill requests) the lock is taken over at once; on a live pod a kill request is
 * sent and the lock is awaited for {@code takeoverTimeout}.
 * Thread-safe.
 */
public final class SessionManager {
    private static final Logger LOG = Logger.getLogger(SessionManager.class.getName());
    private static final long POLL_MILLIS = 25;

    /** Outcome of taking a session. */
    public sealed interface Take {
        record Taken() implements Take {
        }

        record Refused(ErrorCode code, String message) implements Take {
        }
    }

    private final SessionLocks locks;
    private final KillSwitch killSwitch;
    private final PodDirectory pods;
    private final ConnectionHub hub;
    private final Supplier<GatewaySettings> settings;
    private final GatewayMetrics metrics;

    public SessionManager(SessionLocks locks, KillSwitch killSwitch, PodDirectory pods, ConnectionHub hub,
                          Supplier<GatewaySettings> settings, GatewayMetrics metrics) {
        this.locks = locks;
        this.killSwitch = killSwitch;
        this.pods = pods;
        this.hub = hub;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Takes {@code key} for {@code owner}, displacing an older connection if there is one. */
    public Take take(SessionKey key, SessionOwner owner) {
        GatewaySettings s = settings.get();
        Duration ttl = s.initialSessionTtl();
        long deadline = System.nanoTime() + s.takeoverTimeout().toNanos();
        boolean killRequested = false;
        metrics.sessionLockAttempt();
        while (true) {
            switch (locks.acquire(key, owner, ttl)) {
                case SessionLocks.Acquisition.Acquired acquired -> {
                    metrics.sessionLockAcquired();
                    return new Take.Taken();
                }
                case SessionLocks.Acquisition.HeldBy held -> {
                    SessionOwner holder = held.owner();
                    if (holder.equals(owner)) {
                        return new Take.Taken();
                    }
                    if (holder.pod().equals(hub.self())) {
                        if (displaceLocal(key, holder) || locks.takeOver(key, holder, owner, ttl)) {
                            // displaceLocal released the lock: loop to acquire it.
                            if (locks.owner(key).filter(owner::equals).isPresent()) {
                                metrics.sessionLockAcquired();
                                metrics.sessionTakeover("stale_local");
                                return new Take.Taken();
                            }
                            continue;
                        }
                    } else if (!pods.alive(holder.pod())) {
                        if (locks.takeOver(key, holder, owner, ttl)) {
                            LOG.info(() -> "session_key=" + key + " taken over from dead pod_id=" + holder.pod());
                            metrics.sessionLockAcquired();
                            metrics.sessionTakeover("dead_pod");
                            return new Take.Taken();
                        }
                        continue;
                    } else if (!killRequested) {
                        killRequested = true;
                        if (!killSwitch.requestKill(new KillSwitch.KillRequest(key, holder))) {
                            // Nobody listens for that pod: it crashed (its heartbeat has not lapsed yet).
                            if (locks.takeOver(key, holder, owner, ttl)) {
                                LOG.info(() -> "session_key=" + key + " taken over from unreachable pod_id="
                                        + holder.pod());
                                metrics.sessionLockAcquired();
                                metrics.sessionTakeover("unreachable_pod");
                                return new Take.Taken();
                            }
                            continue;
                        }
                        metrics.sessionTakeover("kill_request");
                    }
                    if (System.nanoTime() > deadline) {
                        LOG.warning(() -> "session_key=" + key + " still held by " + holder.encode()
                                + " after " + s.takeoverTimeout().toMillis() + " ms; refusing the new connection");
                        return new Take.Refused(ErrorCode.SessionConflict, "this session is active on another "
                                + "connection that did not release it within " + s.takeoverTimeout().toMillis() + " ms");
                    }
                    sleep();
                }
            }
        }
    }

    /**
     * Closes the local session that holds {@code key} as {@code holder} with {@code SessionConflict}
     * and releases its lock.
     *
     * @return true if a local session was found and displaced
     */
    boolean displaceLocal(SessionKey key, SessionOwner holder) {
        Optional<LocalSession> local = hub.bySessionKey(key).filter(s -> s.owner().equals(holder));
        if (local.isEmpty()) {
            return false;
        }
        LOG.info(() -> "session_key=" + key + " replaced by a newer connection; closing " + holder.encode());
        local.get().connection().fail(ErrorCode.SessionConflict,
                "this session was taken over by a newer connection for the same user");
        locks.release(key, holder);
        metrics.sessionTakeover("local");
        return true;
    }

    /**
     * Closes the local session that holds {@code key} as {@code holder} with {@code SessionKicked}
     * (an administrator's kick) and releases its lock, also when the session is no longer here.
     *
     * @return true if a local session was found and closed
     */
    public boolean kickLocal(SessionKey key, SessionOwner holder) {
        Optional<LocalSession> local = hub.bySessionKey(key).filter(s -> s.owner().equals(holder));
        local.ifPresent(session -> {
            LOG.info(() -> "session_key=" + key + " kicked by an administrator; closing " + holder.encode());
            session.connection().fail(ErrorCode.SessionKicked, "closed by an administrator");
        });
        locks.release(key, holder);
        return local.isPresent();
    }

    /** Handles a kill request from another pod: close the victim if it is still here. */
    public void onKillRequest(KillSwitch.KillRequest request) {
        switch (request.reason()) {
            case KICK -> kickLocal(request.key(), request.victim());
            case TAKEOVER -> {
                if (!displaceLocal(request.key(), request.victim())) {
                    // Not here any more (or never was): make sure a stale lock does not block the newcomer.
                    locks.release(request.key(), request.victim());
                }
            }
        }
    }

    /** Releases the lock of a closed session. */
    public void release(SessionKey key, SessionOwner owner) {
        try {
            locks.release(key, owner);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session_key=" + key + " could not be released; it will expire", e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a session takeover", e);
        }
    }
}
