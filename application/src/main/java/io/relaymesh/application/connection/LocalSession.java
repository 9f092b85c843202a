package io.relaymesh.application.connection;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionOwner;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An authenticated connection held on this pod: its principal, lock owner identity, selected chat
 * and rate limiter. Thread-safe: the selected chat and the closed flag are atomics.
 */
public final class LocalSession {
    private final ClientConnection connection;
    private final Principal principal;
    private final SessionOwner owner;
    private final long openedAtMillis;
    private final FrameRateLimiter rateLimiter;
    private final AtomicReference<RouteKey> selectedChat = new AtomicReference<>();
    /** Route keys joined, copy-on-write: most sessions hold one or two, so an array is the smallest set. */
    private volatile RouteKey[] joined = NONE;
    private static final RouteKey[] NONE = new RouteKey[0];
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastActiveNanos = System.nanoTime();

    public LocalSession(ClientConnection connection, Principal principal, PodId pod, long openedAtMillis,
                        FrameRateLimiter rateLimiter) {
        this.connection = connection;
        this.principal = principal;
        this.owner = new SessionOwner(pod, connection.id());
        this.openedAtMillis = openedAtMillis;
        this.rateLimiter = rateLimiter;
    }

    public ClientConnection connection() {
        return connection;
    }

    public Principal principal() {
        return principal;
    }

    public SessionOwner owner() {
        return owner;
    }

    public long openedAtMillis() {
        return openedAtMillis;
    }

    FrameRateLimiter rateLimiter() {
        return rateLimiter;
    }

    public Optional<RouteKey> selectedChat() {
        return Optional.ofNullable(selectedChat.get());
    }

    /** Sets the selected chat, returning the previous one. */
    RouteKey selectChat(RouteKey chat) {
        return selectedChat.getAndSet(chat);
    }

    /** Every route key this session has joined and not left. */
    public java.util.List<RouteKey> joined() {
        return java.util.List.of(joined);
    }

    synchronized void addJoined(RouteKey key) {
        RouteKey[] current = joined;
        for (RouteKey k : current) {
            if (k.equals(key)) {
                return;
            }
        }
        RouteKey[] next = java.util.Arrays.copyOf(current, current.length + 1);
        next[current.length] = key;
        joined = next;
    }

    synchronized void removeJoined(RouteKey key) {
        RouteKey[] current = joined;
        for (int i = 0; i < current.length; i++) {
            if (current[i].equals(key)) {
                RouteKey[] next = new RouteKey[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                joined = next;
                return;
            }
        }
    }

    /** Marks the session closed; true only for the first caller, so cleanup runs once. */
    boolean markClosed() {
        return closed.compareAndSet(false, true);
    }

    /** Records activity (a client frame, an event delivered), for adaptive lock TTLs. */
    public void touch() {
        lastActiveNanos = System.nanoTime();
    }

    public long lastActiveNanos() {
        return lastActiveNanos;
    }

    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public String toString() {
        return "LocalSession[" + principal.sessionKey() + " " + owner.encode() + "]";
    }
}
