package io.relaymesh.application.fakes;

import io.relaymesh.adapters.memory.InMemoryTokenCache;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.TokenCache;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** The in-memory token cache, recording every key it is asked for or given. Thread-safe. */
public final class RecordingTokenCache implements TokenCache {
    private final InMemoryTokenCache delegate;
    private final List<String> keys = new CopyOnWriteArrayList<>();

    public RecordingTokenCache(Clock clock) {
        this.delegate = new InMemoryTokenCache(clock);
    }

    @Override
    public <T> Optional<T> get(String tokenHash, Class<T> type) {
        keys.add(tokenHash);
        return delegate.get(tokenHash, type);
    }

    @Override
    public void put(String tokenHash, Object claims, Duration ttl) {
        keys.add(tokenHash);
        delegate.put(tokenHash, claims, ttl);
    }

    /** Every key used so far, in order. */
    public List<String> keys() {
        return List.copyOf(keys);
    }

    public int size() {
        return delegate.size();
    }
}
