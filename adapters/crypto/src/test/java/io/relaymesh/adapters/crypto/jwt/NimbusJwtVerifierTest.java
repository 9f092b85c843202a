package io.relaymesh.adapters.crypto.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.JwtVerifier;
import io.relaymesh.domain.port.JwtVerifier.Verified;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NimbusJwtVerifierTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Clock CLOCK = () -> NOW;

    @TempDir
    Path dir;

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("alice").jwtID("id-1").issuer("iss").audience(List.of("aud", "x"))
                .expirationTime(Date.from(NOW.plusSeconds(600)));
    }

    private static JwtSettings hmacSettings() {
        return new JwtSettings(SECRET, Optional.empty(), "", "iss", "aud", Duration.ofSeconds(30));
    }

    private static String hs256(byte[] secret, JWTClaimsSet.Builder claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static String rs256(RSAKey key, JWTClaimsSet.Builder claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String reason(Verified verified) {
        return assertInstanceOf(Verified.Invalid.class, verified).reason();
    }

    @Test
    void hs256Token_withTheSecret_isValid_withClaimsAndExpiryPlusLeeway() throws Exception {
        Verified verified = NimbusJwtVerifier.of(hmacSettings(), CLOCK)
                .verify(hs256(SECRET.getBytes(StandardCharsets.UTF_8), claims()));

        JwtVerifier.Claims claims = assertInstanceOf(Verified.Valid.class, verified).claims();
        assertEquals("alice", claims.text("sub").orElseThrow());
        assertEquals("id-1", claims.tokenId());
        assertEquals(NOW.plusSeconds(630), claims.validUntil());
    }

    @Test
    void everyCheck_refusesWithItsOwnReason() throws Exception {
        JwtVerifier verifier = NimbusJwtVerifier.of(hmacSettings(), CLOCK);
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);

        assertEquals("signature", reason(verifier.verify(hs256("another-secret-of-32-bytes-xxxxx".getBytes(), claims()))));
        assertEquals("algorithm", reason(verifier.verify(new PlainJWT(claims().build()).serialize())));
        assertEquals("expired", reason(verifier.verify(hs256(secret, claims()
                .expirationTime(Date.from(NOW.minusSeconds(31)))))));
        assertEquals("not_yet_valid", reason(verifier.verify(hs256(secret, claims()
                .notBeforeTime(Date.from(NOW.plusSeconds(31)))))));
        assertEquals("issuer", reason(verifier.verify(hs256(secret, claims().issuer("other")))));
        assertEquals("audience", reason(verifier.verify(hs256(secret, claims().audience("other")))));
        assertEquals("claims", reason(verifier.verify(hs256(secret, claims().expirationTime(null)))));
        assertEquals("malformed", reason(verifier.verify("a.b.c")));
    }

    @Test
    void clockSkewWithinTheLeeway_isAccepted() throws Exception {
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
        JwtVerifier verifier = NimbusJwtVerifier.of(hmacSettings(), CLOCK);

        assertInstanceOf(Verified.Valid.class, verifier.verify(hs256(secret, claims()
                .expirationTime(Date.from(NOW.minusSeconds(29))).notBeforeTime(Date.from(NOW.plusSeconds(29))))));
    }

    @Test
    void rsaKeyInTheJwksFile_verifiesRs256_butAnHs256TokenKeyedWithItsPublicKeyIsRefused() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
        Path file = Files.writeString(dir.resolve("jwks.json"), new JWKSet(rsa).toPublicJWKSet().toString());
        JwtVerifier verifier = NimbusJwtVerifier.of(new JwtSettings("", Optional.of(file), "", "", "",
                Duration.ZERO), CLOCK);

        assertInstanceOf(Verified.Valid.class, verifier.verify(rs256(rsa, claims())));
        assertEquals("algorithm", reason(verifier.verify(hs256(rsa.toRSAPublicKey().getEncoded(), claims()))));
        assertEquals("signature", reason(verifier.verify(rs256(new RSAKeyGenerator(2048).keyID("k1").generate(),
                claims()))));
    }

    @Test
    void jwksUrl_isFetched_andFetchedAgainForAnUnknownKid() throws Exception {
        RSAKey first = new RSAKeyGenerator(2048).keyID("k1").generate();
        RSAKey second = new RSAKeyGenerator(2048).keyID("k2").generate();
        AtomicReference<String> published = new AtomicReference<>(new JWKSet(first).toPublicJWKSet().toString());
        AtomicInteger fetches = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
            // Cached far longer than the test: only the unknown kid can cause the second fetch.
            JwtVerifier verifier = NimbusJwtVerifier.of(new JwtSettings("", Optional.empty(), url, "", "",
                    Duration.ZERO, Duration.ofSeconds(2), Duration.ofMinutes(10)), CLOCK);

            assertInstanceOf(Verified.Valid.class, verifier.verify(rs256(first, claims())));
            assertInstanceOf(Verified.Valid.class, verifier.verify(rs256(first, claims())));
            assertEquals(1, fetches.get(), "the keys are cached");
            published.set(new JWKSet(List.of(first, second)).toPublicJWKSet().toString());

            assertInstanceOf(Verified.Valid.class, verifier.verify(rs256(second, claims())));
            assertEquals(2, fetches.get(), "an unknown kid fetches the keys again");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void shortSecret_orKeylessJwksFile_isRefusedNamingTheSetting() throws Exception {
        IllegalArgumentException shortSecret = assertThrows(IllegalArgumentException.class, () ->
                NimbusJwtVerifier.of(new JwtSettings("short", Optional.empty(), "", "", "", Duration.ZERO), CLOCK));
        assertTrue(shortSecret.getMessage().startsWith("auth.jwt_secret"), shortSecret.getMessage());
        assertTrue(!shortSecret.getMessage().contains("short"), "never shows the secret");

        Path empty = Files.writeString(dir.resolve("empty.json"), "{\"keys\":[]}");
        IllegalArgumentException keyless = assertThrows(IllegalArgumentException.class, () ->
                NimbusJwtVerifier.of(new JwtSettings("", Optional.of(empty), "", "", "", Duration.ZERO), CLOCK));
        assertTrue(keyless.getMessage().startsWith("auth.jwks_file"), keyless.getMessage());
    }

    @Test
    void noKeySource_givesTheDisabledVerifier() {
        assertSame(JwtVerifier.DISABLED, NimbusJwtVerifier.of(new JwtSettings("", Optional.empty(), "", "", "",
                Duration.ZERO), CLOCK));
    }
}
