package io.relaymesh.application.auth;

/**
 * What token checks and revocations count ({@code relaymesh_token_refusals_total{reason}},
 * {@code relaymesh_tokens_revoked_total{kind}} in docs/metrics.md). Implementations are thread-safe
 * and never block.
 */
public interface TokenMetrics {

    /**
     * A token was refused; {@code reason} is a short label: {@code revoked}, {@code expired}, or the
     * JWT verifier's reason prefixed with {@code jwt_} ({@code jwt_signature}, {@code jwt_algorithm}, …).
     */
    void refused(String reason);

    /** A token id was revoked; {@code kind} is {@code user}, {@code admin} or {@code id} (revoked by id alone). */
    void revoked(String kind);

    /** Metrics that record nothing, for tests that do not look at them. */
    TokenMetrics NONE = new TokenMetrics() {
        @Override
        public void refused(String reason) {
        }

        @Override
        public void revoked(String kind) {
        }
    };
}
