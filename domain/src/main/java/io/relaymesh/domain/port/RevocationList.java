package io.relaymesh.domain.port;

import java.time.Instant;

/**
 * Revoked token ids ({@code jti}), each kept until the token it revokes expires (after which the
 * token is refused for its expiry anyway, so the entry can go). In cluster mode the list is shared,
 * so a token revoked through one pod is refused by every pod. Thread-safe.
 */
public interface RevocationList {

    /**
     * Revokes {@code tokenId} until {@code expiresAt}. A time already past records nothing.
     *
     * @return true when the id was not revoked before
     */
    boolean revoke(String tokenId, Instant expiresAt);

    /** Whether {@code tokenId} is revoked (and its entry has not expired). */
    boolean isRevoked(String tokenId);
}
