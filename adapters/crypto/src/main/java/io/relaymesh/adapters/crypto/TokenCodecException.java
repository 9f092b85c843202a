package io.relaymesh.adapters.crypto;

import io.relaymesh.domain.error.RelaymeshException;

/**
 * A fault of the token codec itself (the JVM lacks AES-GCM, claims could not be serialised), never
 * a bad token: those are {@code Decoded.Invalid} results.
 */
public class TokenCodecException extends RelaymeshException {
    public TokenCodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
