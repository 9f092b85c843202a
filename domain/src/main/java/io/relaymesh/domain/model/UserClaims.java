package io.relaymesh.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What a user token says: who the user is, until when, the token's id, and which chats the user
 * may select.
 *
 * @param tokenId the token's id ({@code jti}; empty for tokens issued before tokens carried one), by
 *     which the token can be revoked
 * @param allowedChatIds the chats {@code select_chat} may name; empty means any chat (tokens issued
 *     without the claim, as before it existed). A token can never mean "no chat": issuers refuse an
 *     empty list.
 */
public record UserClaims(String companyId, String agentId, String userId, Instant expiresAt, String tokenId,
                         Set<String> allowedChatIds) {
    /** Most chats one token may list; keeps tokens far below the codec's size limit. */
    public static final int MAX_ALLOWED_CHATS = 50;

    public UserClaims {
        Names.requireSegment("company_id", companyId);
        Names.requireSegment("agent_id", agentId);
        Names.requireSegment("user_id", userId);
        Objects.requireNonNull(expiresAt, "expires_at");
        tokenId = TokenIds.optional(tokenId);
        allowedChatIds = Set.copyOf(Objects.requireNonNull(allowedChatIds, "allowed_chat_ids"));
        if (allowedChatIds.size() > MAX_ALLOWED_CHATS) {
            throw new IllegalArgumentException("allowed_chat_ids must list at most " + MAX_ALLOWED_CHATS + " chats");
        }
        allowedChatIds.forEach(chat -> Names.requireSegment("allowed_chat_ids entry", chat));
    }

    /** Claims without a token id that allow any chat (tokens issued before either claim existed). */
    public UserClaims(String companyId, String agentId, String userId, Instant expiresAt) {
        this(companyId, agentId, userId, expiresAt, "", Set.of());
    }

    /** Claims with a token id that allow any chat. */
    public UserClaims(String companyId, String agentId, String userId, Instant expiresAt, String tokenId) {
        this(companyId, agentId, userId, expiresAt, tokenId, Set.of());
    }

    /** Claims without a token id, limited to {@code allowedChatIds} (empty: any chat). */
    public UserClaims(String companyId, String agentId, String userId, Instant expiresAt, Set<String> allowedChatIds) {
        this(companyId, agentId, userId, expiresAt, "", allowedChatIds);
    }

    /** Whether this user may select {@code chatId}. */
    public boolean allowsChat(String chatId) {
        return allowedChatIds.isEmpty() || allowedChatIds.contains(chatId);
    }

    /** These claims with {@code tokenId} as the token's id. */
    public UserClaims withTokenId(String tokenId) {
        return new UserClaims(companyId, agentId, userId, expiresAt, tokenId, allowedChatIds);
    }
}
