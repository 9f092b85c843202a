package io.relaymesh.application.auth;

import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.JwtVerifier;
import io.relaymesh.domain.port.TokenCodec.Decoded;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A user JWT limits select_chat the way an AES token does. */
class JwtClaimsTest {
    private static final Instant EXP = Instant.parse("2030-01-01T00:00:00Z");

    private static JwtVerifier.Claims claims(Object allowedChats) {
        Map<String, Object> values = new HashMap<>(Map.of("company_id", "acme", "agent_id", "support", "sub", "alice",
                "exp", EXP, "jti", "t-1"));
        if (allowedChats != null) {
            values.put("allowed_chat_ids", allowedChats);
        }
        return new JwtVerifier.Claims(values, EXP);
    }

    @Test
    void allowedChatIds_inAUserJwt_limitTheChatsTheUserMaySelect() {
        UserClaims user = (UserClaims) assertInstanceOf(Decoded.Valid.class,
                JwtClaims.user(claims(List.of("c-1", "c-2")))).claims();
        assertEquals(Set.of("c-1", "c-2"), user.allowedChatIds());
        assertTrue(user.allowsChat("c-1") && !user.allowsChat("c-3"));
        assertEquals("t-1", user.tokenId());
    }

    @Test
    void aUserJwtWithoutTheClaim_allowsAnyChat_andAnEmptyOrMalformedClaimIsRefused() {
        UserClaims user = (UserClaims) assertInstanceOf(Decoded.Valid.class, JwtClaims.user(claims(null))).claims();
        assertTrue(user.allowsChat("anything"));
        assertInstanceOf(Decoded.Invalid.class, JwtClaims.user(claims(List.of())));
        assertInstanceOf(Decoded.Invalid.class, JwtClaims.user(claims("c-1")));
        assertInstanceOf(Decoded.Invalid.class, JwtClaims.user(claims(List.of(1, 2))));
        assertInstanceOf(Decoded.Invalid.class, JwtClaims.user(claims(List.of("bad:chat"))));
    }
}
