package io.relaymesh.domain.model;

import java.time.Instant;
import java.util.Objects;

/** What a user token says: who the user is and until when. */
public record UserClaims(String companyId, String agentId, String userId, Instant expiresAt) {
    public UserClaims {
        Names.requireSegment("company_id", companyId);
        Names.requireSegment("agent_id", agentId);
        Names.requireSegment("user_id", userId);
        Objects.requireNonNull(expiresAt, "expires_at");
    }
}
