package io.relaymesh.adapters.crypto.jwt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where JWT keys come from and which claims are required. Empty strings mean "not set".
 *
 * @param secret       HS256 shared secret ({@code auth.jwt_secret}), at least 32 bytes, or empty
 * @param jwksFile     JWKS file with RS256/ES256 public keys ({@code auth.jwks_file}), if any
 * @param jwksUrl      JWKS URL ({@code auth.jwks_url}), fetched with a timeout and cached, or empty
 * @param issuer       required {@code iss} ({@code auth.jwt_issuer}), or empty for any
 * @param audience     required member of {@code aud} ({@code auth.jwt_audience}), or empty for any
 * @param leeway       clock skew allowed on {@code exp} and {@code nbf} ({@code auth.jwt_leeway_seconds})
 * @param fetchTimeout connect and read timeout of a JWKS URL fetch
 * @param cacheTtl     how long fetched URL keys are used before they are fetched again
 */
public record JwtSettings(String secret, Optional<Path> jwksFile, String jwksUrl, String issuer, String audience,
                          Duration leeway, Duration fetchTimeout, Duration cacheTtl) {
    /** Shortest HS256 secret: RFC 7518 asks for a key at least as long as the hash (256 bits). */
    public static final int MIN_SECRET_BYTES = 32;
    public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);

    public JwtSettings {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(jwksFile, "jwksFile");
        Objects.requireNonNull(jwksUrl, "jwksUrl");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(leeway, "leeway");
        Objects.requireNonNull(fetchTimeout, "fetchTimeout");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
    }

    public JwtSettings(String secret, Optional<Path> jwksFile, String jwksUrl, String issuer, String audience,
                       Duration leeway) {
        this(secret, jwksFile, jwksUrl, issuer, audience, leeway, DEFAULT_FETCH_TIMEOUT, DEFAULT_CACHE_TTL);
    }

    /** Whether any key source is configured. */
    public boolean enabled() {
        return !secret.isEmpty() || jwksFile.isPresent() || !jwksUrl.isEmpty();
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "JwtSettings[secret=" + (secret.isEmpty() ? "none" : "<redacted>") + ", jwksFile=" + jwksFile
                + ", jwksUrl=" + jwksUrl + ", issuer=" + issuer + ", audience=" + audience + ", leeway=" + leeway + "]";
    }
}
