package io.relaymesh.bootstrap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import io.relaymesh.bootstrap.config.LogFormat;
import io.relaymesh.bootstrap.config.LogLevel;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * One logging pipeline: Relaymesh and Helidon log through java.util.logging, which is bridged to
 * SLF4J/Logback (configured by logback.xml on the class path, text until {@link #configure} runs).
 * The bridge logs on the caller's thread, so MDC context set by an adapter (session_key,
 * event_id, request_id…) reaches lines logged by the application layer too.
 *
 * <p>Both formats mask tokens and API keys that a line prints from a URL or a header
 * ({@link SecretMask}): text through {@link MaskedMessageConverter}, JSON through a value masker
 * on every string field.
 *
 * <p>JSON lines come from logstash-logback-encoder: every MDC entry and the context property
 * {@code pod_id} become fields. Thread-safe: reconfiguring swaps the root appender.
 */
public final class Logging {
    /** Name of the appender logback.xml defines; the text format. */
    static final String TEXT_APPENDER = "STDERR";
    static final String JSON_APPENDER = "JSON";
    /** The context property (a field of every JSON line) naming this pod. */
    public static final String POD_ID = "pod_id";

    private static Appender<ILoggingEvent> text;
    private static Appender<ILoggingEvent> json;
    private static LogFormat active = LogFormat.TEXT;

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

    /**
     * Writes log lines in {@code format} from now on ({@code app.log_format}), with {@code podId}
     * on every JSON line.
     *
     * @return the format in effect ({@link LogFormat#AUTO} resolved to text or JSON)
     */
    public static synchronized LogFormat configure(LogFormat format, String podId) {
        LogFormat resolved = resolve(format, hasTerminal());
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return resolved;
        }
        context.putProperty(POD_ID, podId);
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (text == null) {
            text = root.getAppender(TEXT_APPENDER);
        }
        if (resolved == active || text == null) {
            return active;
        }
        Appender<ILoggingEvent> next = resolved == LogFormat.JSON ? json(context) : text;
        Appender<ILoggingEvent> previous = resolved == LogFormat.JSON ? text : json;
        // Attach first: a line logged during the swap may appear twice, but none is lost.
        root.addAppender(next);
        root.detachAppender(previous);
        active = resolved;
        return resolved;
    }

    /** The format {@code format} stands for: AUTO is text in a terminal, JSON otherwise. */
    static LogFormat resolve(LogFormat format, boolean terminal) {
        if (format != LogFormat.AUTO) {
            return format;
        }
        return terminal ? LogFormat.TEXT : LogFormat.JSON;
    }

    /**
     * Whether a person is watching: a console exists and, on JDKs that can tell (22+, where
     * {@code System.console()} exists even when redirected), it is a terminal.
     */
    static boolean hasTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true; // JDK 21: a console is only there when attached to a terminal
        }
    }

    /** The encoder of JSON lines: logstash fields, every string value passed through {@link SecretMask}. */
    public static LogstashEncoder jsonEncoder(LoggerContext context) {
        MaskingJsonGeneratorDecorator masking = new MaskingJsonGeneratorDecorator();
        masking.addValueMasker((field, value) -> {
            if (value instanceof CharSequence text) {
                String masked = SecretMask.mask(text.toString());
                return masked.contentEquals(text) ? null : masked;
            }
            return null;
        });
        // The encoder does not start its decorator; an unstarted one fails on every line.
        masking.start();
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.setJsonGeneratorDecorator(masking);
        encoder.start();
        return encoder;
    }

    private static Appender<ILoggingEvent> json(LoggerContext context) {
        if (json == null) {
            LogstashEncoder encoder = jsonEncoder(context);
            ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
            appender.setContext(context);
            appender.setName(JSON_APPENDER);
            appender.setTarget("System.err");
            appender.setEncoder(encoder);
            appender.start();
            json = appender;
        }
        return json;
    }
}
