package io.relaymesh.bootstrap.wiring;

import java.time.Duration;
import java.util.Objects;

/**
 * Work a module needs done every {@code interval} while the gateway runs (a dialect's upkeep, say):
 * registered into a set, run by the gateway's lifecycle on a virtual thread of its own from the
 * moment the listeners are up until shutdown. The task reports its own failures.
 *
 * @param name the thread's name
 */
public record PeriodicTask(String name, Duration interval, Runnable task) {
    public PeriodicTask {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(task, "task");
    }
}
