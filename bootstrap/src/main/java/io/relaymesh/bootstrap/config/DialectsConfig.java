package io.relaymesh.bootstrap.config;

import java.util.Objects;

/** The other seeds' protocols served on the core ({@code dialects.*}), each with its own section. */
public record DialectsConfig(MailboxDialectConfig mailbox) {
    /** Every dialect with its built-in defaults. */
    public static final DialectsConfig DEFAULTS = new DialectsConfig(MailboxDialectConfig.DEFAULTS);

    public DialectsConfig {
        Objects.requireNonNull(mailbox, "mailbox");
    }
}
