package io.relaymesh.application.auth;

import io.relaymesh.adapters.memory.InMemoryRevocationList;
import io.relaymesh.application.fakes.FakeTokenCodec;
import io.relaymesh.application.fakes.ManualClock;
import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.JwtVerifier;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenRevocationTest {
    private static final Instant EXPIRES_AT = ManualClock.START.plus(Duration.ofHours(1));

    private final ManualClock clock = new ManualClock();
    private final FakeTokenCodec codec = new FakeTokenCodec();
    private final InMemoryRevocationList list = new InMemoryRevocationList(clock);
    private final TokenRevocation revocation = new TokenRevocation(() -> codec, () -> JwtVerifier.DISABLED, list,
            clock, TokenMetrics.NONE);

    @Test
    void revokingByIdAndExpiry_putsTheIdOnTheListUntilThen() {
        TokenRevocation.Outcome.Revoked revoked = assertInstanceOf(TokenRevocation.Outcome.Revoked.class,
                revocation.revokeId("jti-1", EXPIRES_AT));

        assertEquals("id", revoked.kind());
        assertTrue(revoked.newly());
        assertTrue(list.isRevoked("jti-1"));
        assertFalse(assertInstanceOf(TokenRevocation.Outcome.Revoked.class,
                revocation.revokeId("jti-1", EXPIRES_AT)).newly());
    }

    @Test
    void revokingAToken_readsItsIdAndExpiry_userOrAdmin() {
        revocation.revokeToken(codec.encodeUser(new UserClaims("c", "a", "u", EXPIRES_AT, "user-jti")));
        TokenRevocation.Outcome admin = revocation.revokeToken(
                codec.encodeAdmin(new AdminClaims("ops", EXPIRES_AT, "", "", "", "admin-jti")));

        assertTrue(list.isRevoked("user-jti"));
        assertTrue(list.isRevoked("admin-jti"));
        assertEquals("admin", assertInstanceOf(TokenRevocation.Outcome.Revoked.class, admin).kind());
    }

    @Test
    void badRequests_nameTheField() {
        assertEquals("jti", assertInstanceOf(TokenRevocation.Outcome.Invalid.class,
                revocation.revokeId("has space", EXPIRES_AT)).field());
        assertEquals("expires_at", assertInstanceOf(TokenRevocation.Outcome.Invalid.class,
                revocation.revokeId("ok", null)).field());
        assertEquals("expires_at", assertInstanceOf(TokenRevocation.Outcome.Invalid.class,
                revocation.revokeId("ok", clock.now().plus(Duration.ofDays(5000)))).field());
        assertEquals("token", assertInstanceOf(TokenRevocation.Outcome.Invalid.class,
                revocation.revokeToken("garbage")).field());
        TokenRevocation.Outcome.Invalid noId = assertInstanceOf(TokenRevocation.Outcome.Invalid.class,
                revocation.revokeToken(codec.encodeUser(new UserClaims("c", "a", "u", EXPIRES_AT))));
        assertTrue(noId.message().contains("no id"), noId.message());
    }

    @Test
    void expiredToken_needsNoRevocation() {
        assertInstanceOf(TokenRevocation.Outcome.AlreadyExpired.class,
                revocation.revokeId("old", clock.now().minusSeconds(1)));
        assertFalse(list.isRevoked("old"));
    }
}
