package io.relaymesh.domain.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What an admin token says. Empty subscription fields mean all companies / all agents; a non-empty
 * {@code companyIdRestriction} limits delivered events to that company whatever the subscription.
 * {@code tokenId} is the token's id ({@code jti}) by which it can be revoked; empty for tokens issued
 * before tokens carried one.
 */
public record AdminClaims(String adminId, Instant expiresAt, String subscribedCompanyId, String subscribedAgentId,
                          String companyIdRestriction, String tokenId) {
    public AdminClaims {
        Names.requireSegment("admin_id", adminId);
        Objects.requireNonNull(expiresAt, "expires_at");
        subscribedCompanyId = optionalSegment("subscribed_company_id", subscribedCompanyId);
        subscribedAgentId = optionalSegment("subscribed_agent_id", subscribedAgentId);
        companyIdRestriction = optionalSegment("company_id_restriction", companyIdRestriction);
        tokenId = TokenIds.optional(tokenId);
    }

    /** Claims without a token id (tokens issued before ids existed). */
    public AdminClaims(String adminId, Instant expiresAt, String subscribedCompanyId, String subscribedAgentId,
                       String companyIdRestriction) {
        this(adminId, expiresAt, subscribedCompanyId, subscribedAgentId, companyIdRestriction, "");
    }

    /** Empty and {@code *} both mean "all" (no subscription filter, no restriction). */
    private static String optionalSegment(String field, String value) {
        if (value == null || value.isEmpty() || value.equals(RouteKey.ANY)) {
            return "";
        }
        return Names.requireSegment(field, value);
    }

    /** The route key this admin's connection registers under. */
    public RouteKey subscription() {
        return RouteKey.admin(subscribedCompanyId, subscribedAgentId);
    }

    /** Whether an event for {@code companyId} may be shown to this admin. */
    public boolean mayView(String companyId) {
        return companyIdRestriction.isEmpty() || companyIdRestriction.equals(companyId);
    }
}
