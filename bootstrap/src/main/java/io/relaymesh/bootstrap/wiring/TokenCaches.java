package io.relaymesh.bootstrap.wiring;

import io.relaymesh.adapters.crypto.AesGcmTokenCodec;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.domain.port.JwtVerifier;
import io.relaymesh.domain.port.TokenCache;
import io.relaymesh.domain.port.TokenCodec;

/** The token cache as both modes use it. */
final class TokenCaches {
    private TokenCaches() {
    }

    /**
     * CryptoModule only ever makes AES-GCM codecs; the scope follows their keys (and the JWT keys)
     * through rotations, so a token of a key no longer accepted is not served from cache. Writes
     * on virtual threads: a first connect with a token costs no extra round trip.
     */
    static TokenCache keyScoped(TokenCache cache, Settings<TokenCodec> codec, Settings<JwtVerifier> jwt) {
        return new KeyScopedTokenCache(cache, () -> ((AesGcmTokenCodec) codec.get()).keyFingerprint() + "-"
                + CryptoModule.jwtFingerprint(jwt.get()),
                command -> Thread.ofVirtual().name("relaymesh-token-cache").start(command));
    }
}
