package io.relaymesh.application.auth;

import io.relaymesh.adapters.memory.InMemoryRevocationList;
import io.relaymesh.application.connection.Principal;
import io.relaymesh.application.fakes.FakeTokenCodec;
import io.relaymesh.application.fakes.ManualClock;
import io.relaymesh.application.fakes.RecordingTokenCache;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.application.settings.GatewaySettings;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.application.connection.ErrorCode;
import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.JwtVerifier;
import io.relaymesh.domain.port.RevocationList;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthenticatorRevocationAndJwtTest {
    private static final String KEY = "general-key";
    private static final String ADMIN = "admin-key";
    private static final Instant EXPIRES_AT = ManualClock.START.plus(Duration.ofHours(1));

    private final ManualClock clock = new ManualClock();
    private final FakeTokenCodec codec = new FakeTokenCodec();
    private final RecordingTokenCache cache = new RecordingTokenCache(clock);
    private final InMemoryRevocationList revocations = new InMemoryRevocationList(clock);
    private final List<String> refusals = new ArrayList<>();
    private final Map<String, JwtVerifier.Verified> jwts = new HashMap<>();
    private final JwtVerifier verifier = new JwtVerifier() {
        @Override
        public Verified verify(String token) {
            return jwts.getOrDefault(token, new Verified.Invalid("signature", "JWT signature is invalid"));
        }

        @Override
        public boolean enabled() {
            return true;
        }
    };
    private final TokenMetrics metrics = new TokenMetrics() {
        @Override
        public void refused(String reason) {
            refusals.add(reason);
        }

        @Override
        public void revoked(String kind) {
        }
    };

    private Authenticator authenticator(RevocationList list) {
        return new Authenticator(() -> new ApiKeys(KEY, ADMIN), () -> codec, cache, clock,
                new Settings<>(GatewaySettings.defaults()), GatewayMetrics.NONE, () -> verifier, list, metrics);
    }

    private static JwtVerifier.Claims claims(Map<String, Object> values) {
        return new JwtVerifier.Claims(values, EXPIRES_AT);
    }

    @Test
    void revokedToken_isRefused_evenThoughItsClaimsAreCached() {
        Authenticator authenticator = authenticator(revocations);
        String token = codec.encodeUser(new UserClaims("c1", "a1", "u1", EXPIRES_AT, "jti-1"));
        assertInstanceOf(AuthResult.Authenticated.class, authenticator.authenticateUser(KEY, token, "c1", "a1"));
        assertEquals(1, cache.size());

        revocations.revoke("jti-1", EXPIRES_AT);

        AuthResult.Refused refused = assertInstanceOf(AuthResult.Refused.class,
                authenticator.authenticateUser(KEY, token, "c1", "a1"));
        assertEquals(ErrorCode.InvalidToken, refused.code());
        assertEquals("token has been revoked", refused.message());
        assertEquals(List.of("revoked"), refusals);
    }

    @Test
    void revocationListUnreachable_refusesTheConnection_failingClosed() {
        RevocationList down = new RevocationList() {
            @Override
            public boolean revoke(String tokenId, Instant expiresAt) {
                throw new IllegalStateException("redis down");
            }

            @Override
            public boolean isRevoked(String tokenId) {
                throw new IllegalStateException("redis down");
            }
        };
        String token = codec.encodeUser(new UserClaims("c1", "a1", "u1", EXPIRES_AT, "jti-2"));

        AuthResult.Refused refused = assertInstanceOf(AuthResult.Refused.class,
                authenticator(down).authenticateUser(KEY, token, "c1", "a1"));

        assertEquals(ErrorCode.InternalServerError, refused.code());
    }

    @Test
    void tokenWithoutId_isNotLookedUp_andStaysValid() {
        String token = codec.encodeUser(new UserClaims("c1", "a1", "u1", EXPIRES_AT));

        assertInstanceOf(AuthResult.Authenticated.class,
                authenticator(revocations).authenticateUser(KEY, token, "c1", "a1"));
    }

    @Test
    void userJwt_readsTheUserFromSub_andTheTokenId() {
        jwts.put("h.p.s", new JwtVerifier.Verified.Valid(claims(Map.of("sub", "alice", "company_id", "c1",
                "agent_id", "a1", "jti", "jwt-1"))));

        Principal principal = assertInstanceOf(AuthResult.Authenticated.class,
                authenticator(revocations).authenticateUser(KEY, "h.p.s", "c1", "a1")).principal();

        UserClaims user = ((Principal.User) principal).claims();
        assertEquals("alice", user.userId());
        assertEquals("jwt-1", user.tokenId());
    }

    @Test
    void refusedJwt_isRefusedWithTheVerifiersMessage_andCountedByReason() {
        AuthResult.Refused refused = assertInstanceOf(AuthResult.Refused.class,
                authenticator(revocations).authenticateUser(KEY, "forged.jwt.sig", "c1", "a1"));

        assertEquals(ErrorCode.InvalidToken, refused.code());
        assertEquals("JWT signature is invalid", refused.message());
        assertEquals(List.of("jwt_signature"), refusals);
    }

    @Test
    void adminJwt_onAUserSocket_andUserJwt_onTheAdminSocket_areRefused() {
        jwts.put("admin.jwt.sig", new JwtVerifier.Verified.Valid(claims(Map.of("sub", "ops", "company_id", "c1",
                "agent_id", "a1", "relaymesh_role", "admin"))));
        jwts.put("user.jwt.sig", new JwtVerifier.Verified.Valid(claims(Map.of("sub", "alice", "company_id", "c1",
                "agent_id", "a1"))));
        Authenticator authenticator = authenticator(revocations);

        AuthResult.Refused onUser = assertInstanceOf(AuthResult.Refused.class,
                authenticator.authenticateUser(KEY, "admin.jwt.sig", "c1", "a1"));
        AuthResult.Refused onAdmin = assertInstanceOf(AuthResult.Refused.class,
                authenticator.authenticateAdmin(ADMIN, "user.jwt.sig"));

        assertTrue(onUser.message().contains("admin token"), onUser.message());
        assertTrue(onAdmin.message().contains("not an admin token"), onAdmin.message());
    }
}
