package io.relaymesh.bench.state;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * The executor the Authenticator writes validated claims to the token cache with. The bootstrap
 * runs those writes on virtual threads, off the connect path; here they wait in a queue until
 * {@link #runAll()}, so that their round trips are counted apart from the connect's instead of
 * landing in whichever operation happens to be measured when they finish. Thread-safe.
 */
final class DeferredWrites implements Executor {
    private final Queue<Runnable> queued = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable command) {
        queued.add(command);
    }

    /** Runs the queued writes on the calling thread; returns how many ran. */
    int runAll() {
        int ran = 0;
        for (Runnable write = queued.poll(); write != null; write = queued.poll()) {
            write.run();
            ran++;
        }
        return ran;
    }
}
