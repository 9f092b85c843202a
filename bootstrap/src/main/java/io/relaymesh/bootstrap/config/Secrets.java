package io.relaymesh.bootstrap.config;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Safe handling of secret values: masking for log lines, and generation of keys in the formats the
 * gateway expects. Thread-safe.
 */
public final class Secrets {
    /** Length of a generated API key, as in the seed's {@code openssl rand … | head -c 32}. */
    public static final int API_KEY_LENGTH = 32;
    /** Bytes of an AES-256 key; in hex it is twice as many characters. */
    public static final int AES_KEY_BYTES = 32;

    private static final String ALPHANUMERIC =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    // Below this length even two revealed characters give away too much of the value.
    private static final int SHORTEST_WITH_PREFIX = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /**
     * A form of {@code secret} fit for logs: its first two characters and its length, e.g.
     * {@code "ab…(32 chars)"}; only the length for short values; {@code "(empty)"} for none.
     */
    public static String mask(String secret) {
        if (secret == null || secret.isEmpty()) {
            return "(empty)";
        }
        String length = "…(" + secret.length() + " chars)";
        return secret.length() < SHORTEST_WITH_PREFIX ? length : secret.substring(0, 2) + length;
    }

    /** A new random API key: {@value #API_KEY_LENGTH} characters from [A-Za-z0-9]. */
    public static String newApiKey() {
        StringBuilder key = new StringBuilder(API_KEY_LENGTH);
        for (int i = 0; i < API_KEY_LENGTH; i++) {
            key.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return key.toString();
    }

    /** A new random AES-256 key as 64 lower-case hex characters. */
    public static String newAesKeyHex() {
        byte[] key = new byte[AES_KEY_BYTES];
        RANDOM.nextBytes(key);
        return HexFormat.of().formatHex(key);
    }
}
