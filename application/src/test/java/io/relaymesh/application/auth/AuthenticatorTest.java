package io.relaymesh.application.auth;

import io.relaymesh.application.connection.Principal;
import io.relaymesh.application.fakes.Cluster;
import io.relaymesh.application.fakes.CountingMetrics;
import io.relaymesh.application.fakes.FakeTokenCodec;
import io.relaymesh.application.fakes.ManualClock;
import io.relaymesh.application.fakes.Pod;
import io.relaymesh.application.fakes.RecordingTokenCache;
import io.relaymesh.application.fakes.TestSettings;
import io.relaymesh.application.settings.GatewaySettings;
import io.relaymesh.application.connection.ErrorCode;
import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.UserClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static io.relaymesh.application.fakes.Cluster.ADMIN_KEY;
import static io.relaymesh.application.fakes.Cluster.GENERAL_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthenticatorTest {
    private static final Instant EXPIRES_AT = ManualClock.START.plus(Duration.ofHours(1));

    private final Cluster cluster = new Cluster();
    private final Pod pod = cluster.pod("pod-a");
    private final Authenticator authenticator = pod.authenticator;
    private final FakeTokenCodec codec = cluster.codec;

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    private String userToken(String company, String agent, String user) {
        return codec.encodeUser(new UserClaims(company, agent, user, EXPIRES_AT));
    }

    private String adminToken(String adminId) {
        return codec.encodeAdmin(new AdminClaims(adminId, EXPIRES_AT, "", "", ""));
    }

    private static AuthResult.Refused refused(AuthResult result) {
        return assertInstanceOf(AuthResult.Refused.class, result);
    }

    private static Principal authenticated(AuthResult result) {
        return assertInstanceOf(AuthResult.Authenticated.class, result).principal();
    }

    @Test
    void missingApiKey_isRefusedAsInvalidApiKey_sayingItIsMissing() {
        String token = userToken("c1", "a1", "u1");
        for (String missing : new String[]{null, ""}) {
            AuthResult.Refused refused = refused(authenticator.authenticateUser(missing, token, "c1", "a1"));

            assertEquals(ErrorCode.InvalidAPIKey, refused.code());
            assertTrue(refused.message().contains("missing"), refused.message());
        }
    }

    @Test
    void wrongApiKey_isRefusedAsInvalidApiKey_sayingItIsInvalid_withoutDecodingTheToken() {
        String token = userToken("c1", "a1", "u1");

        AuthResult.Refused refused = refused(authenticator.authenticateUser("wrong-key", token, "c1", "a1"));

        assertEquals(ErrorCode.InvalidAPIKey, refused.code());
        assertEquals("API key is invalid", refused.message());
        assertEquals(0, codec.decodeCount());
        assertEquals(1, pod.metrics.count("auth_failed:user:InvalidAPIKey"));
    }

    @Test
    void adminKey_isNotAcceptedOnAUserConnection() {
        String token = userToken("c1", "a1", "u1");

        assertEquals(ErrorCode.InvalidAPIKey, refused(authenticator.authenticateUser(ADMIN_KEY, token, "c1", "a1")).code());
    }

    @Test
    void missingToken_isRefusedAsInvalidToken_sayingItIsMissing() {
        for (String missing : new String[]{null, ""}) {
            AuthResult.Refused refused = refused(authenticator.authenticateUser(GENERAL_KEY, missing, "c1", "a1"));

            assertEquals(ErrorCode.InvalidToken, refused.code());
            assertTrue(refused.message().contains("missing"), refused.message());
        }
        AuthResult.Refused admin = refused(authenticator.authenticateAdmin(ADMIN_KEY, null));
        assertEquals(ErrorCode.InvalidToken, admin.code());
        assertTrue(admin.message().contains("missing"), admin.message());
    }

    @Test
    void undecodableToken_isRefusedAsInvalidToken_withTheCodecsReason() {
        AuthResult.Refused refused = refused(authenticator.authenticateUser(GENERAL_KEY, "garbage", "c1", "a1"));

        assertEquals(ErrorCode.InvalidToken, refused.code());
        assertEquals(FakeTokenCodec.UNDECODABLE_REASON, refused.message());
        assertEquals(1, pod.metrics.count("auth_failed:user:InvalidToken"));
    }

    @Test
    void undecodableToken_isNotCached() {
        authenticator.authenticateUser(GENERAL_KEY, "garbage", "c1", "a1");
        authenticator.authenticateUser(GENERAL_KEY, "garbage", "c1", "a1");

        assertEquals(2, codec.decodeCount());
        assertEquals(0, cluster.tokenCache.size());
    }

    @Test
    void tokenIsAcceptedUntilTheInstantItExpires_thenRefusedAsInvalidToken() {
        String token = userToken("c1", "a1", "u1");

        cluster.clock.advance(Duration.ofHours(1).minusMillis(1));
        authenticated(authenticator.authenticateUser(GENERAL_KEY, token, "c1", "a1"));

        cluster.clock.advance(Duration.ofMillis(1));
        AuthResult.Refused refused = refused(authenticator.authenticateUser(GENERAL_KEY, token, "c1", "a1"));
        assertEquals(ErrorCode.InvalidToken, refused.code());
        assertTrue(refused.message().contains("expired"), refused.message());
    }

    @Test
    void expiredAdminToken_isRefusedAsInvalidToken() {
        String token = adminToken("boss");
        cluster.clock.advance(Duration.ofHours(2));

        assertEquals(ErrorCode.InvalidToken, refused(authenticator.authenticateAdmin(ADMIN_KEY, token)).code());
    }

    @Test
    void tokenForAnotherAgent_isRefusedAsInvalidToken_namingBothCompanyAgentPairs() {
        String token = userToken("c1", "a1", "u1");

        AuthResult.Refused refused = refused(authenticator.authenticateUser(GENERAL_KEY, token, "c1", "a2"));

        assertEquals(ErrorCode.InvalidToken, refused.code());
        assertTrue(refused.message().contains("c1/a1"), refused.message());
        assertTrue(refused.message().contains("c1/a2"), refused.message());
    }

    @Test
    void tokenForAnotherCompany_isRefusedAsInvalidToken_namingBothCompanyAgentPairs() {
        String token = userToken("c1", "a1", "u1");

        AuthResult.Refused refused = refused(authenticator.authenticateUser(GENERAL_KEY, token, "c2", "a1"));

        assertEquals(ErrorCode.InvalidToken, refused.code());
        assertTrue(refused.message().contains("c1/a1"), refused.message());
        assertTrue(refused.message().contains("c2/a1"), refused.message());
    }

    @Test
    void adminConnectionWithTheUserKey_isRefusedAsInvalidApiKey() {
        String token = adminToken("boss");

        AuthResult.Refused refused = refused(authenticator.authenticateAdmin(GENERAL_KEY, token));

        assertEquals(ErrorCode.InvalidAPIKey, refused.code());
        assertEquals("admin API key is invalid", refused.message());
        assertEquals(1, pod.metrics.count("auth_failed:admin:InvalidAPIKey"));
    }

    @Test
    void adminConnectionWithoutKey_isRefusedAsInvalidApiKey_sayingItIsMissing() {
        AuthResult.Refused refused = refused(authenticator.authenticateAdmin(null, adminToken("boss")));

        assertEquals(ErrorCode.InvalidAPIKey, refused.code());
        assertTrue(refused.message().contains("missing"), refused.message());
    }

    @Test
    void validUserToken_authenticatesTheUserOfItsClaims() {
        String token = userToken("c1", "a1", "u1");

        Principal principal = authenticated(authenticator.authenticateUser(GENERAL_KEY, token, "c1", "a1"));

        assertEquals(new Principal.User(new UserClaims("c1", "a1", "u1", EXPIRES_AT)), principal);
        assertEquals(1, pod.metrics.count("auth_succeeded:user"));
    }

    @Test
    void validAdminToken_authenticatesTheAdminOfItsClaims() {
        String token = adminToken("boss");

        Principal principal = authenticated(authenticator.authenticateAdmin(ADMIN_KEY, token));

        assertEquals(new Principal.Admin(new AdminClaims("boss", EXPIRES_AT, "", "", "")), principal);
        assertEquals(1, pod.metrics.count("auth_succeeded:admin"));
    }

    @Test
    void userTokenOnTheAdminEndpoint_isRefusedAsInvalidToken_evenWhenCachedAsAUserToken() {
        String token = userToken("c1", "a1", "u1");
        authenticated(authenticator.authenticateUser(GENERAL_KEY, token, "c1", "a1"));

        assertEquals(ErrorCode.InvalidToken, refused(authenticator.authenticateAdmin(ADMIN_KEY, token)).code());
    }

    @Test
    void secondAuthenticationOfTheSameToken_isServedFromTheCache_withoutDecodingAgain() {
        String token = userToken("c1", "a1", "u1");

        authenticated(authenticator.authenticateUser(GENERAL_KEY, token, "c1", "a1"));
        authenticated(authenticator.authenticateUser(GENERAL_KEY, token, "c1", "a1"));

        assertEquals(1, codec.decodeCount());
    }

    @Test
    void tokenCache_isKeyedByTheSha256OfTheToken_neverByTheTokenItself() {
        String token = userToken("c1", "a1", "u1");

        authenticated(authenticator.authenticateUser(GENERAL_KEY, token, "c1", "a1"));
        authenticated(authenticator.authenticateUser(GENERAL_KEY, token, "c1", "a1"));

        List<String> keys = cluster.tokenCache.keys();
        assertEquals(3, keys.size(), "get (miss), put, get (hit): " + keys);
        for (String key : keys) {
            assertFalse(key.contains(token), key);
            assertTrue(key.contains(sha256Hex(token)), key);
        }
    }

    @Test
    void cachedClaims_areStillCheckedForExpiry() {
        cluster.configure(TestSettings.tokenCacheTtl(Duration.ofHours(3)));
        String token = userToken("c1", "a1", "u1");
        authenticated(authenticator.authenticateUser(GENERAL_KEY, token, "c1", "a1"));

        cluster.clock.advance(Duration.ofHours(2));

        assertEquals(ErrorCode.InvalidToken, refused(authenticator.authenticateUser(GENERAL_KEY, token, "c1", "a1")).code());
        assertEquals(1, codec.decodeCount(), "the second call must have been a cache hit");
    }

    @Test
    void cachedClaims_areStillCheckedAgainstTheCompanyAndAgentOfTheUrl() {
        String token = userToken("c1", "a1", "u1");
        authenticated(authenticator.authenticateUser(GENERAL_KEY, token, "c1", "a1"));

        assertEquals(ErrorCode.InvalidToken, refused(authenticator.authenticateUser(GENERAL_KEY, token, "c1", "a2")).code());
        assertEquals(1, codec.decodeCount());
    }

    @Test
    void zeroTokenCacheTtl_decodesTheTokenEveryTime() {
        cluster.configure(TestSettings.tokenCacheTtl(Duration.ZERO));
        String token = userToken("c1", "a1", "u1");

        authenticated(authenticator.authenticateUser(GENERAL_KEY, token, "c1", "a1"));
        authenticated(authenticator.authenticateUser(GENERAL_KEY, token, "c1", "a1"));

        assertEquals(2, codec.decodeCount());
    }

    @Test
    void previousKeysOfARotation_areStillAccepted_forUsersAndAdmins() {
        ApiKeys rotated = new ApiKeys("general-new", "admin-new", List.of(GENERAL_KEY), List.of(ADMIN_KEY));
        Authenticator withRotation = new Authenticator(() -> rotated, () -> codec, cluster.tokenCache, cluster.clock,
                GatewaySettings::defaults, new CountingMetrics());
        String user = userToken("c1", "a1", "u1");
        String admin = adminToken("boss");

        authenticated(withRotation.authenticateUser(GENERAL_KEY, user, "c1", "a1"));
        authenticated(withRotation.authenticateUser("general-new", user, "c1", "a1"));
        authenticated(withRotation.authenticateAdmin(ADMIN_KEY, admin));
        authenticated(withRotation.authenticateAdmin("admin-new", admin));
        assertEquals(ErrorCode.InvalidAPIKey, refused(withRotation.authenticateUser("general-older", user, "c1", "a1")).code());
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
