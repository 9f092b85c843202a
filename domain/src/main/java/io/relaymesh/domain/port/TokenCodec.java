package io.relaymesh.domain.port;

import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.UserClaims;

/**
 * Encrypts token claims into opaque strings and back. Decoding checks integrity, not expiry
 * (expiry is a policy of the application). Thread-safe.
 */
public interface TokenCodec {

    /** Outcome of decoding a token. */
    sealed interface Decoded<T> {
        record Valid<T>(T claims) implements Decoded<T> {
        }

        /** The token could not be decrypted or its claims are malformed; reason is safe to show. */
        record Invalid<T>(String reason) implements Decoded<T> {
        }
    }

    String encodeUser(UserClaims claims);

    String encodeAdmin(AdminClaims claims);

    Decoded<UserClaims> decodeUser(String token);

    Decoded<AdminClaims> decodeAdmin(String token);
}
