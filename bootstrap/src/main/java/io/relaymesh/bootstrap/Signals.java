package io.relaymesh.bootstrap;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * POSIX signal handling beyond the JVM's own (SIGTERM/SIGINT run the shutdown hooks). Without a
 * handler, SIGHUP would stop the JVM; operators send it to reload configuration.
 */
final class Signals {
    private static final Logger LOG = Logger.getLogger(Signals.class.getName());

    /** What an operator reads when SIGHUP cannot reload: the process inherited it ignored. */
    private static final String HANGUP_IGNORED = "SIGHUP is ignored in this process (it was started with SIGHUP ignored,"
            + " as nohup does): kill -HUP will not reload the configuration; a change of the config file still"
            + " does. Start it without nohup (setsid, a service manager or a container) to reload with SIGHUP";

    private Signals() {
    }

    /**
     * Runs {@code action} on each SIGHUP instead of letting the signal stop the process. Warns
     * instead when this platform has no SIGHUP, or when the process started with SIGHUP ignored:
     * the JVM then leaves it ignored and installs nothing.
     */
    @SuppressWarnings("removal")
    static void onHangup(Runnable action) {
        try {
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
            if (previous == sun.misc.SignalHandler.SIG_IGN) {
                LOG.warning(HANGUP_IGNORED);
            }
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.log(Level.WARNING, "cannot handle SIGHUP on this platform", e);
        }
    }
}
