package io.relaymesh.bootstrap.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Which JWTs connections may present besides the AES tokens. Empty strings mean "not set"; with no
 * key source set no JWT is accepted.
 *
 * @param secret   HS256 shared secret ({@code auth.jwt_secret}), at least 32 bytes
 * @param jwksFile JWKS file with RS256/ES256 public keys, re-read on every reload
 * @param jwksUrl  JWKS URL (https, or http on loopback), fetched with a timeout and cached
 * @param issuer   required {@code iss}, or empty for any
 * @param audience required member of {@code aud}, or empty for any
 * @param leeway   clock skew allowed on {@code exp} and {@code nbf}
 */
public record JwtConfig(String secret, String jwksFile, String jwksUrl, String issuer, String audience,
                        Duration leeway) {
    /** No JWT accepted. */
    public static final JwtConfig NONE = new JwtConfig("", "", "", "", "", Duration.ofSeconds(60));

    public JwtConfig {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(jwksFile, "jwksFile");
        Objects.requireNonNull(jwksUrl, "jwksUrl");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(leeway, "leeway");
    }

    /** Masks the secret: config records end up in log lines. */
    @Override
    public String toString() {
        return "JwtConfig[secret=" + Secrets.mask(secret) + ", jwksFile=" + jwksFile + ", jwksUrl=" + jwksUrl
                + ", issuer=" + issuer + ", audience=" + audience + ", leeway=" + leeway + "]";
    }
}
