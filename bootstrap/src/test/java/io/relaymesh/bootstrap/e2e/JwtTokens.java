package io.relaymesh.bootstrap.e2e;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/** Mints the JWTs the attack tests present, good and bad, with nimbus-jose-jwt (as an issuer would). */
final class JwtTokens {
    static final String SECRET = "jwt-secret-for-e2e-0123456789abcdef-0123";
    static final String ISSUER = "https://issuer.e2e.example";
    static final String AUDIENCE = "relaymesh-e2e";

    private JwtTokens() {
    }

    static RSAKey rsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    static ECKey ecKey(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    /** The public JWKS document of {@code keys}, as a JWKS file holds it. */
    static String jwks(JWK... keys) {
        return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
    }

    /** Claims of a user token for company/agent/user valid for an hour, with our issuer and audience. */
    static JWTClaimsSet.Builder user(String company, String agent, String user) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject(user).claim("company_id", company).claim("agent_id", agent)
                .issuer(ISSUER).audience(AUDIENCE).jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)));
    }

    static JWTClaimsSet.Builder admin(String adminId) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject(adminId).claim("relaymesh_role", "admin")
                .issuer(ISSUER).audience(AUDIENCE).jwtID(UUID.randomUUID().toString())
                .expirationTime(Date.from(now.plusSeconds(3600)));
    }

    static String hs256(String secret, JWTClaimsSet.Builder claims) {
        return hs256(secret.getBytes(StandardCharsets.UTF_8), claims);
    }

    static String hs256(byte[] secret, JWTClaimsSet.Builder claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    static String rs256(RSAKey key, JWTClaimsSet.Builder claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    claims.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    static String es256(ECKey key, JWTClaimsSet.Builder claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                    claims.build());
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    /** An unsigned JWT: {@code alg: none}, empty signature. */
    static String unsigned(JWTClaimsSet.Builder claims) {
        return new PlainJWT(claims.build()).serialize();
    }
}
