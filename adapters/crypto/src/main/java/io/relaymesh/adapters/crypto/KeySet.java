package io.relaymesh.adapters.crypto;

import java.util.List;
import java.util.Objects;

/**
 * The AES-256 keys of one kind of token, as 64-character hex strings: {@code current} encrypts new
 * tokens and decrypts, {@code previous} only decrypt, so tokens issued before a key rotation stay
 * valid until they expire. The hex is checked by {@link AesGcmTokenCodec}, which knows the
 * configuration key to name in its error.
 */
public record KeySet(String current, List<String> previous) {
    public KeySet {
        Objects.requireNonNull(current, "current");
        previous = List.copyOf(previous);
    }

    /** A key set without previous keys. */
    public static KeySet of(String current) {
        return new KeySet(current, List.of());
    }

    /** Never prints the keys: a key set ends up in config dumps and log lines. */
    @Override
    public String toString() {
        return "KeySet[current=<redacted>, previous=" + previous.size() + " <redacted>]";
    }
}
