package io.relaymesh.bootstrap.config;

import java.util.Objects;

/** The {@code dialects.*} sections: each dialect's own settings. */
public record DialectsConfig(ConversationsDialectConfig conversations, MailboxDialectConfig mailbox) {
    public DialectsConfig {
        Objects.requireNonNull(conversations, "conversations");
        Objects.requireNonNull(mailbox, "mailbox");
    }
}
