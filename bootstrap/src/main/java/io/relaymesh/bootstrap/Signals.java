package io.relaymesh.bootstrap;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * POSIX signal handling beyond the JVM's own (SIGTERM/SIGINT run the shutdown hooks). Without a
 * handler, SIGHUP would stop the JVM; operators send it to reload configuration.
 */
final class Signals {
    private static final Logger LOG = Logger.getLogger(Signals.class.getName());

    private Signals() {
    }

    /** Runs {@code action} on each SIGHUP instead of letting the signal stop the process. */
    @SuppressWarnings("removal")
    static void onHangup(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.log(Level.WARNING, "cannot handle SIGHUP on this platform", e);
        }
    }
}
