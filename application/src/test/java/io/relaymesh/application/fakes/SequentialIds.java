package io.relaymesh.application.fakes;

import io.relaymesh.domain.port.IdGenerator;

import java.util.concurrent.atomic.AtomicInteger;

/** Ids {@code prefix-1}, {@code prefix-2}, …, so tests can predict them. Thread-safe. */
public final class SequentialIds implements IdGenerator {
    private final String prefix;
    private final AtomicInteger next = new AtomicInteger();

    public SequentialIds(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public String next() {
        return prefix + "-" + next.incrementAndGet();
    }
}
