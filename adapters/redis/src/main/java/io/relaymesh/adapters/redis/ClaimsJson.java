package io.relaymesh.adapters.redis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.UserClaims;

import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON of cached token claims, tagged with their type: {@code {"type":"user", "company_id", …}}
 * or {@code {"type":"admin", "admin_id", …}}, with {@code expires_at} as ISO-8601. Mapped field by
 * field (not by reflection) so the stored format stays put when the records change. Thread-safe.
 */
final class ClaimsJson {
    // Jackson's default buffer pool is per thread: with a virtual thread per connection it kept
    // ~0.6 KB of buffers alive per idle connection. One shared pool serves every thread.
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedLockFreePool()).build());
    private static final String USER = "user";
    private static final String ADMIN = "admin";

    private ClaimsJson() {
    }

    static String encode(Object claims) {
        ObjectNode node = JSON.createObjectNode();
        switch (claims) {
            case UserClaims user -> {
                node.put("type", USER)
                        .put("company_id", user.companyId())
                        .put("agent_id", user.agentId())
                        .put("user_id", user.userId())
                        .put("expires_at", user.expiresAt().toString());
                // A cached entry must keep the restriction, or a cache hit would lift it.
                if (!user.allowedChatIds().isEmpty()) {
                    user.allowedChatIds().stream().sorted().forEach(node.putArray("allowed_chat_ids")::add);
                }
            }
            case AdminClaims admin -> node.put("type", ADMIN)
                    .put("admin_id", admin.adminId())
                    .put("expires_at", admin.expiresAt().toString())
                    .put("subscribed_company_id", admin.subscribedCompanyId())
                    .put("subscribed_agent_id", admin.subscribedAgentId())
                    .put("company_id_restriction", admin.companyIdRestriction());
            default -> throw new IllegalArgumentException("token cache holds UserClaims or AdminClaims only, got: "
                    + claims.getClass().getName());
        }
        // The token id is what revocation checks; written only when there is one, so entries of
        // tokens without an id keep the format older pods read.
        String tokenId = claims instanceof UserClaims user ? user.tokenId() : ((AdminClaims) claims).tokenId();
        if (!tokenId.isEmpty()) {
            node.put("jti", tokenId);
        }
        return node.toString();
    }

    /**
     * The claims in {@code json} when they are of {@code type}; empty when they are of another type
     * or unreadable (an entry written by another version is a cache miss, not a failure).
     */
    static <T> Optional<T> decode(String json, Class<T> type) {
        try {
            JsonNode node = JSON.readTree(json);
            String tag = node.path("type").asText();
            if (type == UserClaims.class && USER.equals(tag)) {
                return Optional.of(type.cast(new UserClaims(text(node, "company_id"), text(node, "agent_id"),
                        text(node, "user_id"), Instant.parse(text(node, "expires_at")), node.path("jti").asText(""), allowedChats(node))));
            }
            if (type == AdminClaims.class && ADMIN.equals(tag)) {
                return Optional.of(type.cast(new AdminClaims(text(node, "admin_id"), Instant.parse(text(node, "expires_at")),
                        text(node, "subscribed_company_id"), text(node, "subscribed_agent_id"),
                        text(node, "company_id_restriction"), node.path("jti").asText(""))));
            }
            return Optional.empty();
        } catch (JsonProcessingException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static Set<String> allowedChats(JsonNode node) {
        JsonNode value = node.get("allowed_chat_ids");
        if (value == null) {
            return Set.of();
        }
        if (!value.isArray() || value.isEmpty()) {
            throw new IllegalArgumentException("allowed_chat_ids is not a non-empty list");
        }
        Set<String> chats = new HashSet<>();
        value.forEach(chat -> {
            if (!chat.isTextual()) {
                throw new IllegalArgumentException("allowed_chat_ids holds a non-string");
            }
            chats.add(chat.asText());
        });
        return chats;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return value.asText();
    }
}
