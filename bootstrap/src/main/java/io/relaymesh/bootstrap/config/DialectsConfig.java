package io.relaymesh.bootstrap.config;

import java.util.Objects;

/** The other seeds' protocols served on the core ({@code dialects.*}), each with its own section. */
public record DialectsConfig(ConversationsDialectConfig conversations, TopicsDialectConfig topics,
                             MailboxDialectConfig mailbox, RoomsConfig rooms) {
    public DialectsConfig {
        Objects.requireNonNull(conversations, "conversations");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(rooms, "rooms");
    }

    /** These settings with the peer rooms' limits (which a reload applies) taken from {@code loaded}. */
    DialectsConfig withRoomsLimitsOf(DialectsConfig loaded) {
        return new DialectsConfig(conversations, topics, mailbox, rooms.withLive(loaded.rooms()));
    }
}
