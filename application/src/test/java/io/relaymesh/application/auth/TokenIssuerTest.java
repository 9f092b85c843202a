package io.relaymesh.application.auth;

import io.relaymesh.application.auth.TokenIssuer.AdminTokenRequest;
import io.relaymesh.application.auth.TokenIssuer.Issue;
import io.relaymesh.application.auth.TokenIssuer.UserTokenRequest;
import io.relaymesh.application.fakes.FakeTokenCodec;
import io.relaymesh.application.fakes.ManualClock;
import io.relaymesh.application.settings.GatewaySettings;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.UserClaims;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenIssuerTest {
    private static final Instant START = ManualClock.START;

    private final ManualClock clock = new ManualClock();
    private final FakeTokenCodec codec = new FakeTokenCodec();
    private final Settings<GatewaySettings> settings = new Settings<>(GatewaySettings.defaults());
    private final TokenIssuer issuer = new TokenIssuer(() -> codec, clock, settings,
            new io.relaymesh.application.fakes.SequentialIds("jti"));

    private static Issue.Invalid invalid(Issue issue) {
        return assertInstanceOf(Issue.Invalid.class, issue);
    }

    private static Issue.Issued issued(Issue issue) {
        return assertInstanceOf(Issue.Issued.class, issue);
    }

    private static void assertInvalid(String field, String messagePart, Issue issue) {
        Issue.Invalid invalid = invalid(issue);
        assertEquals(field, invalid.field());
        assertTrue(invalid.message().startsWith(field + " "), invalid.message());
        assertTrue(invalid.message().contains(messagePart), invalid.message());
    }

    private static AdminTokenRequest admin(String companyId, String agentId, String restriction) {
        return new AdminTokenRequest("boss", null, companyId, agentId, restriction);
    }

    @Test
    void userRequest_withoutCompanyId_isInvalid_namingCompanyId() {
        assertInvalid("company_id", "required", issuer.issueUser(new UserTokenRequest(null, "a1", "u1", null)));
    }

    @Test
    void userRequest_withoutAgentId_isInvalid_namingAgentId() {
        assertInvalid("agent_id", "required", issuer.issueUser(new UserTokenRequest("c1", null, "u1", null)));
    }

    @Test
    void userRequest_withoutUserId_isInvalid_namingUserId() {
        assertInvalid("user_id", "required", issuer.issueUser(new UserTokenRequest("c1", "a1", null, null)));
    }

    @Test
    void userRequest_withIdsThatCouldForgeAKey_isInvalid_namingTheField() {
        assertInvalid("company_id", "':'", issuer.issueUser(new UserTokenRequest("c1:x", "a1", "u1", null)));
        assertInvalid("agent_id", "'.'", issuer.issueUser(new UserTokenRequest("c1", "a.1", "u1", null)));
        assertInvalid("user_id", "empty", issuer.issueUser(new UserTokenRequest("c1", "a1", " ", null)));
    }

    @Test
    void adminRequest_withoutAdminId_isInvalid_namingAdminId() {
        assertInvalid("admin_id", "required", issuer.issueAdmin(new AdminTokenRequest(null, null, null, null, null)));
        assertInvalid("admin_id", "empty", issuer.issueAdmin(new AdminTokenRequest("", null, null, null, null)));
    }

    @Test
    void zeroOrNegativeLifetime_isInvalid_namingExpiresInSeconds() {
        assertInvalid("expires_in_seconds", "positive", issuer.issueUser(new UserTokenRequest("c1", "a1", "u1", 0L)));
        assertInvalid("expires_in_seconds", "positive", issuer.issueUser(new UserTokenRequest("c1", "a1", "u1", -5L)));
        assertInvalid("expires_in_seconds", "positive",
                issuer.issueAdmin(new AdminTokenRequest("boss", 0L, null, null, null)));
    }

    @Test
    void lifetimeOverTheMaximum_isInvalid_namingExpiresInSecondsAndTheMaximum() {
        long max = GatewaySettings.defaults().maxTokenTtl().toSeconds();

        assertInvalid("expires_in_seconds", String.valueOf(max),
                issuer.issueUser(new UserTokenRequest("c1", "a1", "u1", max + 1)));
        assertInvalid("expires_in_seconds", String.valueOf(max),
                issuer.issueUser(new UserTokenRequest("c1", "a1", "u1", Long.MAX_VALUE)));
        assertInvalid("expires_in_seconds", String.valueOf(max),
                issuer.issueAdmin(new AdminTokenRequest("boss", max + 1, null, null, null)));
    }

    @Test
    void lifetimeOfExactlyTheMaximum_isIssued() {
        long max = GatewaySettings.defaults().maxTokenTtl().toSeconds();

        assertEquals(START.plusSeconds(max), issued(issuer.issueUser(new UserTokenRequest("c1", "a1", "u1", max))).expiresAt());
    }

    @Test
    void userToken_carriesTheRequestedClaims_andAnId_andExpiresAfterTheRequestedSeconds() {
        Issue.Issued issued = issued(issuer.issueUser(new UserTokenRequest("c1", "a1", "u1", 120L)));

        assertEquals(START.plusSeconds(120), issued.expiresAt());
        assertEquals("jti-1", issued.tokenId());
        assertEquals(new UserClaims("c1", "a1", "u1", START.plusSeconds(120), "jti-1"), codec.claimsOf(issued.token()));
    }

    @Test
    void requestWithoutLifetime_getsTheDefaultLifetime() {
        settings.set(new GatewaySettings(Duration.ofSeconds(30), Duration.ofSeconds(300), Duration.ofSeconds(10),
                Duration.ofMillis(2000), Duration.ofDays(30), Duration.ofMinutes(45), Duration.ofSeconds(30), 20, 40));

        assertEquals(START.plus(Duration.ofMinutes(45)),
                issued(issuer.issueUser(new UserTokenRequest("c1", "a1", "u1", null))).expiresAt());
        assertEquals(START.plus(Duration.ofMinutes(45)),
                issued(issuer.issueAdmin(new AdminTokenRequest("boss", null, null, null, null))).expiresAt());
    }

    @Test
    void expiry_isTruncatedToWholeSeconds_asTheTokenCarriesEpochSeconds() {
        clock.advance(Duration.ofMillis(999));

        assertEquals(START.plusSeconds(60),
                issued(issuer.issueUser(new UserTokenRequest("c1", "a1", "u1", 60L))).expiresAt());
    }

    @Test
    void adminStarSubscription_isStoredAsEmpty_meaningAllCompaniesAndAgents() {
        Issue.Issued issued = issued(issuer.issueAdmin(admin("*", "*", null)));

        AdminClaims claims = (AdminClaims) codec.claimsOf(issued.token());
        assertEquals("", claims.subscribedCompanyId());
        assertEquals("", claims.subscribedAgentId());
        assertEquals("", claims.companyIdRestriction());
        assertEquals(new RouteKey("admin:*:*"), claims.subscription());
    }

    @Test
    void adminSubscriptionToOneAgentOfAnyCompany_keepsTheAgent() {
        Issue.Issued issued = issued(issuer.issueAdmin(admin("*", "a1", "")));

        assertEquals(new RouteKey("admin:*:a1"), ((AdminClaims) codec.claimsOf(issued.token())).subscription());
    }

    @Test
    void adminCompanyRestriction_isCarriedInTheToken() {
        Issue.Issued issued = issued(issuer.issueAdmin(admin("c1", null, "c1")));

        AdminClaims claims = (AdminClaims) codec.claimsOf(issued.token());
        assertEquals("c1", claims.companyIdRestriction());
        assertEquals(new RouteKey("admin:c1:*"), claims.subscription());
    }

    @Test
    void starCompanyRestriction_isInvalid_namingCompanyIdRestriction() {
        assertInvalid("company_id_restriction", "empty", issuer.issueAdmin(admin(null, null, "*")));
    }

    @Test
    void malformedAdminSubscription_isInvalid_namingTheField() {
        assertInvalid("subscribed_company_id", "':'", issuer.issueAdmin(admin("c:1", null, null)));
        assertInvalid("subscribed_agent_id", "whitespace", issuer.issueAdmin(admin(null, "a 1", null)));
        assertInvalid("company_id_restriction", "'.'", issuer.issueAdmin(admin(null, null, "c.1")));
    }

    @Test
    void userRequest_withAnEmptyAllowedChatList_isInvalid_becauseItWouldReadAsAnyChat() {
        assertInvalid("allowed_chat_ids", "at least one", issuer.issueUser(
                new UserTokenRequest("c1", "a1", "u1", null, java.util.List.of())));
    }

    @Test
    void userRequest_withAnAllowedChatThatCouldForgeAKey_isInvalid() {
        assertInvalid("allowed_chat_ids", "must not contain", issuer.issueUser(
                new UserTokenRequest("c1", "a1", "u1", null, java.util.List.of("ok", "x.y"))));
    }
}
