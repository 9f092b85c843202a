package io.relaymesh.bootstrap.config;

import java.util.Locale;

/** How log lines are written, from {@code app.log_format}. */
public enum LogFormat {
    /** Text when the process runs in a terminal, JSON otherwise (containers, services). */
    AUTO,
    /** One human-readable line per event. */
    TEXT,
    /** One JSON object per line, with the context fields (pod_id, session_key…) as fields. */
    JSON;

    /** The name used in the config file, e.g. {@code json}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
