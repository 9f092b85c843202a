package io.relaymesh.application.fakes;

import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.SessionLocks;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Session locks that can run an action just before the next {@link #refreshAll}, to reproduce what
 * another thread may do while the periodic refresh is under way. Thread-safe.
 */
public final class InterceptingSessionLocks implements SessionLocks {
    private final SessionLocks delegate;
    private final AtomicReference<Runnable> beforeNextRefreshAll = new AtomicReference<>();

    public InterceptingSessionLocks(SessionLocks delegate) {
        this.delegate = delegate;
    }

    /** Runs {@code action} once, at the start of the next {@link #refreshAll}. */
    public void beforeNextRefreshAll(Runnable action) {
        beforeNextRefreshAll.set(action);
    }

    @Override
    public Acquisition acquire(SessionKey key, SessionOwner owner, Duration ttl) {
        return delegate.acquire(key, owner, ttl);
    }

    @Override
    public boolean takeOver(SessionKey key, SessionOwner expected, SessionOwner owner, Duration ttl) {
        return delegate.takeOver(key, expected, owner, ttl);
    }

    @Override
    public boolean refresh(SessionKey key, SessionOwner owner, Duration ttl) {
        return delegate.refresh(key, owner, ttl);
    }

    @Override
    public Set<SessionKey> refreshAll(Map<SessionKey, SessionOwner> held, Duration ttl) {
        Runnable action = beforeNextRefreshAll.getAndSet(null);
        if (action != null) {
            action.run();
        }
        return delegate.refreshAll(held, ttl);
    }

    @Override
    public boolean release(SessionKey key, SessionOwner owner) {
        return delegate.release(key, owner);
    }

    @Override
    public Optional<SessionOwner> owner(SessionKey key) {
        return delegate.owner(key);
    }
}
