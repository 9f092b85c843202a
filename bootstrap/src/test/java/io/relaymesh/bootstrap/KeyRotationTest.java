package io.relaymesh.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relaymesh.application.auth.ApiKeys;
import io.relaymesh.bootstrap.config.AuthConfig;
import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.TokenCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Old keys stay accepted for the overlap after a rotation, then are dropped. */
class KeyRotationTest {
    private static final String GENERAL = "general-key-0123456789abcdefghij";
    private static final String ADMIN = "admin-key-0123456789abcdefghijklm";
    private static final String USER_AES = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    private static final String ADMIN_AES = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
    private static final String NEW_GENERAL = "rotated-general-key-0123456789ab";
    private static final String NEW_USER_AES = "0123456789abcdef".repeat(4);
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final UserClaims ALICE = new UserClaims("acme", "support", "alice", T0.plusSeconds(86400));

    private static AuthConfig auth(String general, String userAes, long overlapSeconds) {
        return new AuthConfig(general, userAes, ADMIN, ADMIN_AES, Duration.ofSeconds(30), Duration.ofHours(1),
                Duration.ofDays(30), Duration.ofSeconds(overlapSeconds), "", "", false);
    }

    @Test
    void rotatedApiKey_staysAcceptedDuringTheOverlap_thenIsDropped() {
        KeyRotation keys = new KeyRotation(auth(GENERAL, USER_AES, 60));

        List<KeyRotation.Retired> retired = keys.rotate(auth(NEW_GENERAL, USER_AES, 60), T0);

        assertEquals(1, retired.size());
        assertEquals(T0.plusSeconds(60), retired.getFirst().until());
        ApiKeys during = keys.apiKeys();
        assertTrue(during.isGeneral(NEW_GENERAL));
        assertTrue(during.isGeneral(GENERAL));
        assertTrue(during.isAdmin(ADMIN));
        assertEquals(Optional.of(T0.plusSeconds(60)), keys.nextExpiry());

        assertTrue(keys.dropExpired(T0.plusSeconds(59)).isEmpty());
        assertEquals(1, keys.dropExpired(T0.plusSeconds(60)).size());

        ApiKeys after = keys.apiKeys();
        assertTrue(after.isGeneral(NEW_GENERAL));
        assertFalse(after.isGeneral(GENERAL));
        assertEquals(Optional.empty(), keys.nextExpiry());
    }

    @Test
    void rotatedAesKey_oldTokensStillDecode_newTokensUseTheNewKey_untilTheOverlapEnds() {
        KeyRotation keys = new KeyRotation(auth(GENERAL, USER_AES, 60));
        String oldToken = keys.codec().encodeUser(ALICE);

        keys.rotate(auth(GENERAL, NEW_USER_AES, 60), T0);
        TokenCodec during = keys.codec();
        String newToken = during.encodeUser(ALICE);

        assertEquals(ALICE, valid(during.decodeUser(oldToken)));
        assertEquals(ALICE, valid(during.decodeUser(newToken)));
        // New tokens are sealed with the new key only: a codec that knows only the new key opens them.
        TokenCodec newKeyOnly = new KeyRotation(auth(GENERAL, NEW_USER_AES, 0)).codec();
        assertEquals(ALICE, valid(newKeyOnly.decodeUser(newToken)));

        keys.dropExpired(T0.plusSeconds(61));
        TokenCodec after = keys.codec();
        assertInstanceOf(TokenCodec.Decoded.Invalid.class, after.decodeUser(oldToken));
        assertEquals(ALICE, valid(after.decodeUser(newToken)));
    }

    @Test
    void zeroOverlap_dropsThePreviousKeyAtOnce() {
        KeyRotation keys = new KeyRotation(auth(GENERAL, USER_AES, 0));

        assertTrue(keys.rotate(auth(NEW_GENERAL, USER_AES, 0), T0).isEmpty());

        assertFalse(keys.apiKeys().isGeneral(GENERAL));
        assertTrue(keys.retired().isEmpty());
    }

    @Test
    void twoRotations_keepBothPreviousKeys_eachForItsOwnOverlap() {
        String third = "third-general-key-0123456789abcd";
        KeyRotation keys = new KeyRotation(auth(GENERAL, USER_AES, 60));
        keys.rotate(auth(NEW_GENERAL, USER_AES, 60), T0);
        keys.rotate(auth(third, USER_AES, 60), T0.plusSeconds(30));

        assertTrue(keys.apiKeys().isGeneral(GENERAL));
        assertTrue(keys.apiKeys().isGeneral(NEW_GENERAL));
        keys.dropExpired(T0.plusSeconds(60));
        assertFalse(keys.apiKeys().isGeneral(GENERAL));
        assertTrue(keys.apiKeys().isGeneral(NEW_GENERAL));
        keys.dropExpired(T0.plusSeconds(90));
        assertFalse(keys.apiKeys().isGeneral(NEW_GENERAL));
        assertTrue(keys.apiKeys().isGeneral(third));
    }

    @Test
    void rotatingBackToARetiredKey_makesItCurrent_andRetiresTheOtherOne() {
        KeyRotation keys = new KeyRotation(auth(GENERAL, USER_AES, 60));
        keys.rotate(auth(NEW_GENERAL, USER_AES, 60), T0);

        keys.rotate(auth(GENERAL, USER_AES, 60), T0.plusSeconds(10));

        assertEquals(1, keys.retired().size());
        keys.dropExpired(T0.plusSeconds(100));
        assertTrue(keys.apiKeys().isGeneral(GENERAL));
        assertFalse(keys.apiKeys().isGeneral(NEW_GENERAL));
    }

    @Test
    void retiredKey_neverShowsItsValue() {
        KeyRotation keys = new KeyRotation(auth(GENERAL, USER_AES, 60));
        keys.rotate(auth(NEW_GENERAL, USER_AES, 60), T0);

        assertFalse(keys.retired().toString().contains(GENERAL), keys.retired().toString());
    }

    private static UserClaims valid(TokenCodec.Decoded<UserClaims> decoded) {
        if (decoded instanceof TokenCodec.Decoded.Valid<UserClaims> valid) {
            return valid.claims();
        }
        throw new AssertionError("expected a valid token, got " + decoded);
    }
}
