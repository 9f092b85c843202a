package io.relaymesh.bootstrap.config;

import java.util.Objects;

/**
 * One key whose value differs between the running configuration and a reloaded one.
 *
 * @param key the key's dotted path, e.g. {@code app.client_max_messages_per_second}
 * @param before the running value as written in config; masked when the key is a secret
 * @param after the reloaded value, masked likewise
 * @param secret whether the values are masked (the key holds an API key, AES key or password)
 * @param needsRestart whether the change only takes effect after a restart (so a reload skips it)
 */
public record ConfigChange(String key, String before, String after, boolean secret, boolean needsRestart) {
    public ConfigChange {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }

    /** {@code key: before → after}, safe for a log line. */
    public String describe() {
        return key + ": " + before + " → " + after;
    }
}
