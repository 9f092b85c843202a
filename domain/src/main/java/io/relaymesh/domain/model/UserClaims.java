package io.relaymesh.domain.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What a user token says: who the user is, until when, and the token's id ({@code jti}; empty for
 * tokens issued before tokens carried one), by which the token can be revoked.
 */
public record UserClaims(String companyId, String agentId, String userId, Instant expiresAt, String tokenId) {
    public UserClaims {
        Names.requireSegment("company_id", companyId);
        Names.requireSegment("agent_id", agentId);
        Names.requireSegment("user_id", userId);
        Objects.requireNonNull(expiresAt, "expires_at");
        tokenId = TokenIds.optional(tokenId);
    }

    /** Claims without a token id (tokens issued before ids existed, or not meant to be revocable alone). */
    public UserClaims(String companyId, String agentId, String userId, Instant expiresAt) {
        this(companyId, agentId, userId, expiresAt, "");
    }
}
