package io.relaymesh.bootstrap.config;

import java.util.Objects;

/** The other seeds' protocols served on the core ({@code dialects.*}), each with its own section. */
public record DialectsConfig(TopicsDialectConfig topics) {
    /** Every dialect with its built-in defaults. */
    public static final DialectsConfig DEFAULTS = new DialectsConfig(TopicsDialectConfig.DEFAULTS);

    public DialectsConfig {
        Objects.requireNonNull(topics, "topics");
    }
}
