package io.relaymesh.domain.model;

import java.util.Objects;

/**
 * The key of an exclusive session: {@code session:{company}:{agent}:{user}} for users,
 * {@code session:admin:{admin_id}} for admins. One connection per key across the cluster.
 */
public record SessionKey(String value) {
    public SessionKey {
        Objects.requireNonNull(value, "session key");
        if (!value.startsWith("session:")) {
            throw new IllegalArgumentException("session key must start with 'session:', got: " + value);
        }
    }

    public static SessionKey forUser(UserClaims claims) {
        return new SessionKey("session:" + claims.companyId() + ":" + claims.agentId() + ":" + claims.userId());
    }

    public static SessionKey forAdmin(AdminClaims claims) {
        return new SessionKey("session:admin:" + claims.adminId());
    }

    @Override
    public String toString() {
        return value;
    }
}
