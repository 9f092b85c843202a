package io.relaymesh.bootstrap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.relaymesh.bootstrap.config.LogLevel;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * One logging pipeline: Relaymesh and Helidon log through java.util.logging, which is bridged to
 * SLF4J/Logback (configured by logback.xml on the class path).
 */
public final class Logging {
    private Logging() {
    }

    /** Routes java.util.logging to SLF4J. */
    public static void install() {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    /** Sets the level of Relaymesh's own loggers ({@code app.log_level}). */
    public static void setLevel(LogLevel level) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger("io.relaymesh").setLevel(Level.toLevel(level.name(), Level.INFO));
        }
    }
}
