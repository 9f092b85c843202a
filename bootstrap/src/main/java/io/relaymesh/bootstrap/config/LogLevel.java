package io.relaymesh.bootstrap.config;

import java.util.Locale;

/** Least severe level of log line written, from {@code app.log_level}. */
public enum LogLevel {
    TRACE, DEBUG, INFO, WARN, ERROR;

    /** The name used in the config file, e.g. {@code info}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
