package io.relaymesh.bootstrap.config;

import java.time.Duration;
import java.util.Objects;

/**
 * API keys, token encryption keys and token lifetimes. In a loaded config the four keys are never
 * empty: cluster mode requires them, standalone mode generates the missing ones.
 *
 * @param secretToken general API key (user connections, {@code POST /generate-token})
 * @param tokenAesKey AES-256 key for user tokens, 64 hex characters
 * @param adminSecretToken admin API key (admin connections and admin endpoints)
 * @param adminTokenAesKey AES-256 key for admin tokens, 64 hex characters
 * @param tokenCacheTtl how long a validated token is cached
 * @param defaultTokenTtl lifetime of a generated token when the request gives none
 * @param maxTokenTtl longest lifetime a generated token may ask for
 * @param keyRotationOverlap how long the previous keys stay accepted after a reload changed them
 * @param clientApiKey public key user WebSocket clients present; mints nothing; "" = none
 * @param adminClientApiKey public key admin WebSocket clients present; "" = none
 * @param wsAcceptsSecretToken seed compatibility: WebSocket upgrades may carry the server keys
 * @param jwt which JWTs are accepted besides the AES tokens
 */
public record AuthConfig(
        String secretToken,
        String tokenAesKey,
        String adminSecretToken,
        String adminTokenAesKey,
        Duration tokenCacheTtl,
        Duration defaultTokenTtl,
        Duration maxTokenTtl,
        Duration keyRotationOverlap,
        String clientApiKey,
        String adminClientApiKey,
        boolean wsAcceptsSecretToken,
        JwtConfig jwt) {

    public AuthConfig {
        Objects.requireNonNull(secretToken, "secretToken");
        Objects.requireNonNull(tokenAesKey, "tokenAesKey");
        Objects.requireNonNull(adminSecretToken, "adminSecretToken");
        Objects.requireNonNull(adminTokenAesKey, "adminTokenAesKey");
        Objects.requireNonNull(tokenCacheTtl, "tokenCacheTtl");
        Objects.requireNonNull(defaultTokenTtl, "defaultTokenTtl");
        Objects.requireNonNull(maxTokenTtl, "maxTokenTtl");
        Objects.requireNonNull(keyRotationOverlap, "keyRotationOverlap");
        Objects.requireNonNull(clientApiKey, "clientApiKey");
        Objects.requireNonNull(adminClientApiKey, "adminClientApiKey");
        Objects.requireNonNull(jwt, "jwt");
    }

    /** Settings without client keys, seed compatibility or JWTs. */
    public AuthConfig(String secretToken, String tokenAesKey, String adminSecretToken, String adminTokenAesKey,
                      Duration tokenCacheTtl, Duration defaultTokenTtl, Duration maxTokenTtl,
                      Duration keyRotationOverlap) {
        this(secretToken, tokenAesKey, adminSecretToken, adminTokenAesKey, tokenCacheTtl, defaultTokenTtl,
                maxTokenTtl, keyRotationOverlap, "", "", false, JwtConfig.NONE);
    }

    /** Settings without JWTs. */
    public AuthConfig(String secretToken, String tokenAesKey, String adminSecretToken, String adminTokenAesKey,
                      Duration tokenCacheTtl, Duration defaultTokenTtl, Duration maxTokenTtl,
                      Duration keyRotationOverlap, String clientApiKey, String adminClientApiKey,
                      boolean wsAcceptsSecretToken) {
        this(secretToken, tokenAesKey, adminSecretToken, adminTokenAesKey, tokenCacheTtl, defaultTokenTtl,
                maxTokenTtl, keyRotationOverlap, clientApiKey, adminClientApiKey, wsAcceptsSecretToken, JwtConfig.NONE);
    }

    /** Settings without client keys or seed compatibility. */
    public AuthConfig(String secretToken, String tokenAesKey, String adminSecretToken, String adminTokenAesKey,
                      Duration tokenCacheTtl, Duration defaultTokenTtl, Duration maxTokenTtl,
                      Duration keyRotationOverlap, JwtConfig jwt) {
        this(secretToken, tokenAesKey, adminSecretToken, adminTokenAesKey, tokenCacheTtl, defaultTokenTtl,
                maxTokenTtl, keyRotationOverlap, "", "", false, jwt);
    }

    /** A copy with other keys, the lifetimes unchanged. */
    AuthConfig withKeys(String secretToken, String tokenAesKey, String adminSecretToken, String adminTokenAesKey) {
        return new AuthConfig(secretToken, tokenAesKey, adminSecretToken, adminTokenAesKey,
                tokenCacheTtl, defaultTokenTtl, maxTokenTtl, keyRotationOverlap, clientApiKey, adminClientApiKey,
                wsAcceptsSecretToken, jwt);
    }

    /** Masks the keys: config records end up in log lines. */
    @Override
    public String toString() {
        return "AuthConfig[secretToken=" + Secrets.mask(secretToken)
                + ", tokenAesKey=" + Secrets.mask(tokenAesKey)
                + ", adminSecretToken=" + Secrets.mask(adminSecretToken)
                + ", adminTokenAesKey=" + Secrets.mask(adminTokenAesKey)
                + ", tokenCacheTtl=" + tokenCacheTtl
                + ", defaultTokenTtl=" + defaultTokenTtl
                + ", maxTokenTtl=" + maxTokenTtl
                + ", keyRotationOverlap=" + keyRotationOverlap
                + ", clientApiKey=" + Secrets.mask(clientApiKey)
                + ", adminClientApiKey=" + Secrets.mask(adminClientApiKey)
                + ", wsAcceptsSecretToken=" + wsAcceptsSecretToken
                + ", jwt=" + jwt + "]";
    }
}
