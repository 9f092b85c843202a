package io.relaymesh.bootstrap.wiring;

import io.relaymesh.application.dialect.mailbox.Mailbox;

import java.time.Duration;
import java.util.logging.Logger;

/**
 * Removes expired mailbox messages every interval, on a virtual thread of its own. In a cluster
 * every pod sweeps the shared store; each expired message is removed and counted by one of them.
 */
final class MailboxSweeper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MailboxSweeper.class.getName());
    private final Thread thread;
    private volatile boolean closed;

    MailboxSweeper(Mailbox mailbox, Duration interval) {
        thread = Thread.ofVirtual().name("relaymesh-mailbox-sweeper").start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                long start = System.nanoTime();
                int removed = mailbox.sweep();
                if (removed > 0) {
                    LOG.info("mailbox sweeper removed " + removed + " expired messages in "
                            + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
                }
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join(Duration.ofSeconds(5));
    }
}
