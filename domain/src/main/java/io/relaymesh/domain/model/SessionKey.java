package io.relaymesh.domain.model;

import java.util.List;
import java.util.Objects;

/**
 * The key of an exclusive session: {@code session:{company}:{agent}:{user}} for users,
 * {@code session:admin:{admin_id}} for admins. One connection per key across the cluster.
 */
public record SessionKey(String value) {
    private static final String PREFIX = "session:";
    private static final String ADMIN = "admin";

    public SessionKey {
        Objects.requireNonNull(value, "session key");
        if (!value.startsWith("session:")) {
            throw new IllegalArgumentException("session key must start with 'session:', got: " + value);
        }
    }

    public static SessionKey forUser(UserClaims claims) {
        return user(claims.companyId(), claims.agentId(), claims.userId());
    }

    public static SessionKey forAdmin(AdminClaims claims) {
        return admin(claims.adminId());
    }

    /** The key of a user's session; each id must be a valid key segment. */
    public static SessionKey user(String companyId, String agentId, String userId) {
        return new SessionKey(PREFIX + Names.requireSegment("company_id", companyId) + ":"
                + Names.requireSegment("agent_id", agentId) + ":" + Names.requireSegment("user_id", userId));
    }

    /** The key of an admin's session; the id must be a valid key segment. */
    public static SessionKey admin(String adminId) {
        return new SessionKey(PREFIX + ADMIN + ":" + Names.requireSegment("admin_id", adminId));
    }

    /**
     * Whether this is an admin session. Segments cannot contain ':', so {@code session:admin:{id}}
     * (two segments) never collides with a user of a company named "admin" (three segments).
     */
    public boolean isAdmin() {
        String adminPrefix = PREFIX + ADMIN + ":";
        return value.startsWith(adminPrefix) && value.indexOf(':', adminPrefix.length()) < 0;
    }

    /** The ids in the key: company, agent and user of a user session; the admin id of an admin session. */
    public List<String> ids() {
        if (isAdmin()) {
            return List.of(value.substring(PREFIX.length() + ADMIN.length() + 1));
        }
        return List.of(value.substring(PREFIX.length()).split(":", -1));
    }

    @Override
    public String toString() {
        return value;
    }
}
