package io.relaymesh.application.dialect.conversations;

import io.relaymesh.domain.port.JwtVerifier;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatAuthenticationTest {
    private static final Instant EXP = Instant.parse("2030-01-01T00:00:00Z");

    private static ConversationsSettings settings(boolean allowWithoutClaim) {
        Duration s = Duration.ofSeconds(10);
        return new ConversationsSettings(s, s, s, 8192, s, "conversations", allowWithoutClaim);
    }

    private static ChatAuthentication.Result authenticate(Map<String, Object> claims, boolean allowWithoutClaim) {
        Map<String, Object> values = new HashMap<>(claims);
        values.put("exp", EXP);
        JwtVerifier verifier = new JwtVerifier() {
            public Verified verify(String token) {
                return token.equals("good") ? new Verified.Valid(new Claims(values, EXP))
                        : new Verified.Invalid("signature", "the token's signature does not verify");
            }

            public boolean enabled() {
                return true;
            }
        };
        return new ChatAuthentication(() -> verifier, settings(allowWithoutClaim)).authenticate("good");
    }

    private static ChatUser accepted(ChatAuthentication.Result result) {
        return assertInstanceOf(ChatAuthentication.Result.Accepted.class, result).user();
    }

    @Test
    void theUserIsSub_orElseUserId_andEachConnectionGetsItsOwnSession() {
        ChatUser bySub = accepted(authenticate(Map.of("sub", "507f1f77bcf86cd799439011"), true));
        assertEquals("507f1f77bcf86cd799439011", bySub.userId());
        assertEquals("u-2", accepted(authenticate(Map.of("user_id", "u-2"), true)).userId());
        assertFalse(bySub.sessionId().equals(accepted(authenticate(Map.of("sub", "507f1f77bcf86cd799439011"), true)).sessionId()));
        assertFalse(bySub.exclusive(), "many connections per user");
        assertEquals(EXP, bySub.expiresAt());
    }

    @Test
    void theClaimListsTheConversations_starMeansAny_andAbsenceFollowsTheSetting() {
        ChatUser listed = accepted(authenticate(Map.of("sub", "u", "conversations", List.of("c1", "c2")), false));
        assertTrue(listed.mayJoin("c1"));
        assertFalse(listed.mayJoin("c3"));
        assertTrue(accepted(authenticate(Map.of("sub", "u", "conversations", "*"), false)).mayJoin("any"));
        assertFalse(accepted(authenticate(Map.of("sub", "u"), false)).mayJoin("c1"), "safe default: no claim, no joins");
        assertTrue(accepted(authenticate(Map.of("sub", "u"), true)).mayJoin("c1"), "the seed's behaviour, by setting");
    }

    @Test
    void refusals_sayWhy() {
        assertInstanceOf(ChatAuthentication.Result.Rejected.class, authenticate(Map.of("name", "no id"), true));
        assertInstanceOf(ChatAuthentication.Result.Rejected.class, authenticate(Map.of("sub", "a:b"), true));
        assertInstanceOf(ChatAuthentication.Result.Rejected.class, authenticate(Map.of("sub", "u", "conversations", 3), true));
        ChatAuthentication.Result missing = new ChatAuthentication(() -> JwtVerifier.DISABLED, settings(true)).authenticate("");
        assertEquals("payload.token is missing", assertInstanceOf(ChatAuthentication.Result.Rejected.class, missing).message());
        ChatAuthentication.Result disabled = new ChatAuthentication(() -> JwtVerifier.DISABLED, settings(true)).authenticate("x.y.z");
        assertTrue(assertInstanceOf(ChatAuthentication.Result.Rejected.class, disabled).message().contains("not accepted"));
    }
}
