package io.relaymesh.adapters.crypto.jwt;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.JwtVerifier;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JWT verification with nimbus-jose-jwt. Algorithms are an allow-list chosen per key source: HS256
 * only with {@code auth.jwt_secret}, RS256 and ES256 only with keys from the JWKS file or URL, so a
 * token can never pick its own verification key type (no {@code none}, no HS256 "signed" with a
 * public key). The signature is checked by the library; {@code exp} (required), {@code nbf},
 * {@code iss} and {@code aud} are then checked here with the leeway, so each refusal has its own
 * message and metric reason.
 *
 * <p>A JWKS file is read once, when the verifier is built (a reload builds a new one). JWKS URL
 * keys are cached for {@link JwtSettings#cacheTtl()}, fetched again when a token names an unknown
 * {@code kid} (at most every 30 s), each fetch bounded by {@link JwtSettings#fetchTimeout()} and
 * 1 MiB. Thread-safe: the processor and its key sources are thread-safe, the rest is immutable.
 */
public final class NimbusJwtVerifier implements JwtVerifier {
    /** Far above a real JWT (a few hundred bytes to a few KB), low enough to refuse junk before work. */
    static final int MAX_TOKEN_CHARS = 8192;
    private static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    private static final int MAX_JWKS_BYTES = 1024 * 1024;
    private static final long UNKNOWN_KID_REFETCH_MILLIS = 30_000;

    private final JwtSettings settings;
    private final Clock clock;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final boolean hmac;
    private final boolean asymmetric;
    private final String fingerprint;

    private NimbusJwtVerifier(JwtSettings settings, Clock clock, JWSKeySelector<SecurityContext> hmacKeys,
                              JWSKeySelector<SecurityContext> asymmetricKeys, String fingerprint) {
        this.settings = settings;
        this.clock = clock;
        this.hmac = hmacKeys != null;
        this.asymmetric = asymmetricKeys != null;
        this.fingerprint = fingerprint;
        // Each algorithm goes to the one key source allowed for it; nothing else finds a key.
        processor.setJWSKeySelector((header, context) -> {
            JWSAlgorithm alg = header.getAlgorithm();
            if (JWSAlgorithm.HS256.equals(alg) && hmacKeys != null) {
                return hmacKeys.selectJWSKeys(header, context);
            }
            if (ASYMMETRIC.contains(alg) && asymmetricKeys != null) {
                return asymmetricKeys.selectJWSKeys(header, context);
            }
            return List.<Key>of();
        });
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), null));
        // Claims are checked in checkClaims (own messages, injectable clock).
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
    }

    /**
     * A verifier for {@code settings}; the JWKS file is read now.
     *
     * @throws IllegalArgumentException naming the setting that is wrong (short secret, unreadable or
     *                                  keyless JWKS file, bad URL); never showing the secret
     */
    public static JwtVerifier of(JwtSettings settings, Clock clock) {
        if (!settings.enabled()) {
            return JwtVerifier.DISABLED;
        }
        MessageDigest digest = sha256();
        JWSKeySelector<SecurityContext> hmacKeys = null;
        if (!settings.secret().isEmpty()) {
            byte[] secret = settings.secret().getBytes(StandardCharsets.UTF_8);
            if (secret.length < JwtSettings.MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("auth.jwt_secret must be at least " + JwtSettings.MIN_SECRET_BYTES
                        + " bytes, got " + secret.length + "; generate one with: openssl rand -hex 32");
            }
            hmacKeys = new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(secret));
            digest.update((byte) 's');
            digest.update(secret);
        }
        JWKSource<SecurityContext> keys = null;
        if (settings.jwksFile().isPresent()) {
            JWKSet file = readJwksFile(settings);
            keys = new ImmutableJWKSet<>(file);
            digest.update((byte) 'f');
            digest.update(file.toString(true).getBytes(StandardCharsets.UTF_8));
        }
        if (!settings.jwksUrl().isEmpty()) {
            JWKSource<SecurityContext> remote = urlSource(settings);
            // Both: the file's keys first, the URL's when the file has none for the token's kid.
            keys = keys == null ? remote : either(keys, remote);
            digest.update((byte) 'u');
            digest.update(settings.jwksUrl().getBytes(StandardCharsets.UTF_8));
        }
        JWSKeySelector<SecurityContext> asymmetricKeys = keys == null ? null
                : new JWSVerificationKeySelector<>(ASYMMETRIC, keys);
        return new NimbusJwtVerifier(settings, clock, hmacKeys, asymmetricKeys,
                HexFormat.of().formatHex(digest.digest(), 0, 8));
    }

    /**
     * A short digest of the keys in force (secret, file keys, URL), for scoping a cache of validated
     * tokens: it changes when a reload changes the keys. Reveals nothing usable about them.
     */
    public String keyFingerprint() {
        return fingerprint;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public Verified verify(String token) {
        if (token == null || token.isEmpty()) {
            return invalid("malformed", "token is empty");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            return invalid("malformed", "token is too long");
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            return invalid("malformed", "token is not a valid JWT");
        }
        if (jwt instanceof PlainJWT) {
            return invalid("algorithm", "unsigned JWTs (alg none) are not accepted");
        }
        if (jwt instanceof EncryptedJWT || !(jwt instanceof SignedJWT signed)) {
            return invalid("algorithm", "encrypted JWTs are not accepted");
        }
        JWSHeader header = signed.getHeader();
        JWSAlgorithm alg = header.getAlgorithm();
        boolean allowed = (JWSAlgorithm.HS256.equals(alg) && hmac) || (ASYMMETRIC.contains(alg) && asymmetric);
        if (!allowed) {
            return invalid("algorithm", "JWT algorithm " + alg + " is not accepted (accepted: " + accepted() + ")");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(signed, null);
        } catch (BadJOSEException e) {
            return invalid("signature", "JWT signature is invalid or signed by an unknown key");
        } catch (com.nimbusds.jose.JOSEException e) {
            // A key source fault (the JWKS URL is unreachable): the token may be fine, say so.
            return invalid("keys_unavailable", "JWT signing keys are unavailable; try again later");
        }
        return checkClaims(claims);
    }

    private Verified checkClaims(JWTClaimsSet claims) {
        Instant now = clock.now();
        long leeway = settings.leeway().toSeconds();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            return invalid("claims", "JWT has no exp claim; an expiry is required");
        }
        if (!now.minusSeconds(leeway).isBefore(exp.toInstant())) {
            return invalid("expired", "token expired at " + exp.toInstant());
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plusSeconds(leeway).isBefore(nbf.toInstant())) {
            return invalid("not_yet_valid", "token is not valid before " + nbf.toInstant());
        }
        if (!settings.issuer().isEmpty() && !settings.issuer().equals(claims.getIssuer())) {
            return invalid("issuer", "JWT issuer is not the one this server accepts");
        }
        if (!settings.audience().isEmpty()
                && (claims.getAudience() == null || !claims.getAudience().contains(settings.audience()))) {
            return invalid("audience", "JWT audience does not include " + settings.audience());
        }
        Map<String, Object> values = new HashMap<>();
        claims.getClaims().forEach((name, value) -> {
            if (value != null) {
                values.put(name, value instanceof Date date ? date.toInstant() : value);
            }
        });
        return new Verified.Valid(new Claims(values, exp.toInstant().plusSeconds(leeway)));
    }

    private String accepted() {
        return hmac && asymmetric ? "HS256, RS256, ES256" : hmac ? "HS256" : "RS256, ES256";
    }

    private static Verified invalid(String reason, String message) {
        return new Verified.Invalid(reason, message);
    }

    private static JWKSet readJwksFile(JwtSettings settings) {
        var path = settings.jwksFile().orElseThrow();
        try {
            if (Files.size(path) > MAX_JWKS_BYTES) {
                throw new IllegalArgumentException("auth.jwks_file " + path + " is larger than 1 MiB");
            }
            // Only public keys are ever used; a file that also holds private keys is not echoed anywhere.
            JWKSet set = JWKSet.parse(Files.readString(path, StandardCharsets.UTF_8)).toPublicJWKSet();
            boolean usable = set.getKeys().stream().anyMatch(k -> k.getKeyType() == com.nimbusds.jose.jwk.KeyType.RSA
                    || k.getKeyType() == com.nimbusds.jose.jwk.KeyType.EC);
            if (!usable) {
                throw new IllegalArgumentException("auth.jwks_file " + path + " holds no RSA or EC public key");
            }
            return set;
        } catch (IOException e) {
            throw new IllegalArgumentException("auth.jwks_file " + path + " cannot be read: " + e.getMessage());
        } catch (ParseException e) {
            throw new IllegalArgumentException("auth.jwks_file " + path + " is not a JWKS JSON document: "
                    + e.getMessage());
        }
    }

    private static JWKSource<SecurityContext> urlSource(JwtSettings settings) {
        URL url;
        try {
            URI uri = URI.create(settings.jwksUrl());
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new IllegalArgumentException("auth.jwks_url must be an http(s) URL");
            }
            url = uri.toURL();
        } catch (IllegalArgumentException | java.net.MalformedURLException e) {
            throw new IllegalArgumentException("auth.jwks_url is not a valid URL: " + e.getMessage());
        }
        int timeout = (int) settings.fetchTimeout().toMillis();
        long ttl = settings.cacheTtl().toMillis();
        return JWKSourceBuilder.<SecurityContext>create(url, new DefaultResourceRetriever(timeout, timeout,
                        MAX_JWKS_BYTES))
                .cache(ttl, timeout)
                .rateLimited(Math.min(UNKNOWN_KID_REFETCH_MILLIS, ttl))
                .retrying(false)
                .build();
    }

    /** Keys from {@code first}, else from {@code second}. */
    private static JWKSource<SecurityContext> either(JWKSource<SecurityContext> first,
                                                     JWKSource<SecurityContext> second) {
        return (selector, context) -> {
            var keys = first.get(selector, context);
            return keys.isEmpty() ? second.get(selector, context) : keys;
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
