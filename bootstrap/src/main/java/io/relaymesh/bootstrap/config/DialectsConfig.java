package io.relaymesh.bootstrap.config;

import java.util.Objects;

/** The other seeds' protocols served on the core ({@code dialects.*}), each with its own section. */
public record DialectsConfig(ConversationsDialectConfig conversations, TopicsDialectConfig topics,
                             MailboxDialectConfig mailbox) {
    public DialectsConfig {
        Objects.requireNonNull(conversations, "conversations");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(mailbox, "mailbox");
    }
}
