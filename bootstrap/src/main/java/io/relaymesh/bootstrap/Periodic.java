package io.relaymesh.bootstrap;

import java.time.Duration;
import java.util.Objects;

/**
 * Runs a task now, then every interval, on a virtual thread of its own, until closed: how
 * bootstrap keeps the values that metrics read (JetStream backlog, dependency checks) fresh, so
 * that the adapters computing them own no thread. A task that throws is the task's own fault; the
 * loop catches nothing, so tasks report their own failures. Thread-safe.
 */
final class Periodic implements AutoCloseable {
    private final Thread thread;
    private volatile boolean closed;

    private Periodic(String name, Duration interval, Runnable task) {
        long millis = interval.toMillis();
        Objects.requireNonNull(task, "task");
        this.thread = Thread.ofVirtual().name(name).start(() -> {
            while (!closed) {
                task.run();
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Starts {@code task} on a virtual thread named {@code name}. */
    static Periodic every(String name, Duration interval, Runnable task) {
        return new Periodic(name, interval, task);
    }

    /** Stops after the current run, if any. Idempotent. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
