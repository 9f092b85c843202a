package io.relaymesh.application.settings;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Holder of the current value of some settings; thread-safe, replaced whole on reload. */
public final class Settings<T> implements Supplier<T> {
    private final AtomicReference<T> current;

    public Settings(T initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial));
    }

    @Override
    public T get() {
        return current.get();
    }

    /** Replaces the settings; readers see the new value on their next call. */
    public void set(T next) {
        current.set(Objects.requireNonNull(next));
    }
}
