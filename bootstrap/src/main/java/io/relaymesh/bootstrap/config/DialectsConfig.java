package io.relaymesh.bootstrap.config;

import java.util.Objects;

/** The {@code dialects.*} sections: each dialect's own settings. */
public record DialectsConfig(ConversationsDialectConfig conversations) {
    public DialectsConfig {
        Objects.requireNonNull(conversations, "conversations");
    }
}
