package io.relaymesh.adapters.crypto;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.TokenCodec.Decoded;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The JSON plaintext of a token: the claims object with snake_case fields. {@code expires_at} is
 * written as whole epoch seconds and read as epoch seconds (a number, fractions allowed) or an RFC
 * 3339 string, the form other implementations' date types marshal to. Unknown fields are ignored
 * so that issuers may add some. Thread-safe: the mapper is configured once and never changed.
 */
final class ClaimsJson {
    // Jackson's default buffer pool is per thread: with a virtual thread per connection it kept
    // ~0.6 KB of buffers alive per idle connection. One shared pool serves every thread.
    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedLockFreePool()).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Exact fractions of a second, instead of a double's rounding.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final BigDecimal MIN_EPOCH_SECOND = BigDecimal.valueOf(Instant.MIN.getEpochSecond());
    private static final BigDecimal MAX_EPOCH_SECOND = BigDecimal.valueOf(Instant.MAX.getEpochSecond());
    private static final String BAD_EXPIRES_AT =
            "token claims are invalid: expires_at must be epoch seconds or an RFC 3339 timestamp";

    private ClaimsJson() {
    }

    static byte[] write(UserClaims claims) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("company_id", claims.companyId());
        node.put("agent_id", claims.agentId());
        node.put("user_id", claims.userId());
        node.put("expires_at", claims.expiresAt().getEpochSecond());
        putTokenId(node, claims.tokenId());
        if (!claims.allowedChatIds().isEmpty()) {
            claims.allowedChatIds().stream().sorted().forEach(node.putArray("allowed_chat_ids")::add);
        }
        return bytes(node);
    }

    static byte[] write(AdminClaims claims) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("admin_id", claims.adminId());
        node.put("expires_at", claims.expiresAt().getEpochSecond());
        node.put("subscribed_company_id", claims.subscribedCompanyId());
        node.put("subscribed_agent_id", claims.subscribedAgentId());
        node.put("company_id_restriction", claims.companyIdRestriction());
        putTokenId(node, claims.tokenId());
        return bytes(node);
    }

    /** Tokens without an id (issued before ids existed) keep the exact seed claims object. */
    private static void putTokenId(ObjectNode node, String tokenId) {
        if (!tokenId.isEmpty()) {
            node.put("jti", tokenId);
        }
    }

    static Decoded<UserClaims> readUser(byte[] json) {
        try {
            ObjectNode node = object(json);
            String companyId = required(node, "company_id");
            String agentId = required(node, "agent_id");
            String userId = required(node, "user_id");
            Instant expiresAt = expiresAt(node);
            String tokenId = optional(node, "jti");
            Set<String> allowedChats = allowedChats(node);
            return construct(() -> new UserClaims(companyId, agentId, userId, expiresAt, tokenId, allowedChats));
        } catch (BadClaims e) {
            return new Decoded.Invalid<>(e.getMessage());
        }
    }

    static Decoded<AdminClaims> readAdmin(byte[] json) {
        try {
            ObjectNode node = object(json);
            String adminId = required(node, "admin_id");
            Instant expiresAt = expiresAt(node);
            String subscribedCompanyId = optional(node, "subscribed_company_id");
            String subscribedAgentId = optional(node, "subscribed_agent_id");
            String companyIdRestriction = optional(node, "company_id_restriction");
            String tokenId = optional(node, "jti");
            return construct(() -> new AdminClaims(adminId, expiresAt, subscribedCompanyId, subscribedAgentId,
                    companyIdRestriction, tokenId));
        } catch (BadClaims e) {
            return new Decoded.Invalid<>(e.getMessage());
        }
    }

    /** The domain records validate ids in their constructors; their message names the field. */
    private static <T> Decoded<T> construct(Supplier<T> constructor) {
        try {
            return new Decoded.Valid<>(constructor.get());
        } catch (IllegalArgumentException e) {
            return new Decoded.Invalid<>("token claims are invalid: " + e.getMessage());
        }
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new TokenCodecException("cannot serialise token claims", e);
        }
    }

    private static ObjectNode object(byte[] json) throws BadClaims {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new BadClaims("token claims are not valid JSON");
        }
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw new BadClaims("token claims are not a JSON object");
    }

    private static String required(ObjectNode node, String field) throws BadClaims {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new BadClaims("token claims are missing " + field);
        }
        return text(field, value);
    }

    /** Absent, null and "" all mean "not set"; the domain record turns them into "". */
    private static String optional(ObjectNode node, String field) throws BadClaims {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        return text(field, value);
    }

    private static String text(String field, JsonNode value) throws BadClaims {
        if (!value.isTextual()) {
            throw new BadClaims("token claims are invalid: " + field + " must be a string");
        }
        return value.textValue();
    }

    /**
     * {@code allowed_chat_ids}: absent or null allows any chat. An empty list is refused rather than
     * read as "any": an issuer that wrote one meant to allow nothing.
     */
    private static Set<String> allowedChats(ObjectNode node) throws BadClaims {
        JsonNode value = node.get("allowed_chat_ids");
        if (value == null || value.isNull()) {
            return Set.of();
        }
        if (!value.isArray() || value.isEmpty()) {
            throw new BadClaims("token claims are invalid: allowed_chat_ids must be a non-empty list of chat ids");
        }
        Set<String> chats = new HashSet<>();
        for (JsonNode chat : value) {
            chats.add(text("allowed_chat_ids entry", chat));
        }
        return chats;
    }

    private static Instant expiresAt(ObjectNode node) throws BadClaims {
        JsonNode value = node.get("expires_at");
        if (value == null || value.isNull()) {
            throw new BadClaims("token claims are missing expires_at");
        }
        if (value.isNumber()) {
            return fromEpochSeconds(value.decimalValue());
        }
        if (value.isTextual()) {
            return fromRfc3339(value.textValue());
        }
        throw new BadClaims(BAD_EXPIRES_AT);
    }

    private static Instant fromEpochSeconds(BigDecimal seconds) throws BadClaims {
        // Range and scale first: rescaling a number like 1e-999999999 would build a gigantic integer.
        BigDecimal exact = seconds.stripTrailingZeros();
        if (exact.compareTo(MIN_EPOCH_SECOND) < 0 || exact.compareTo(MAX_EPOCH_SECOND) > 0) {
            throw new BadClaims("token claims are invalid: expires_at is out of range");
        }
        if (exact.scale() > 9) {
            throw new BadClaims("token claims are invalid: expires_at has more than 9 decimals");
        }
        BigDecimal whole = exact.setScale(0, RoundingMode.FLOOR);
        long nanos = exact.subtract(whole).movePointRight(9).longValue();
        try {
            return Instant.ofEpochSecond(whole.longValueExact(), nanos);
        } catch (DateTimeException | ArithmeticException e) {
            throw new BadClaims("token claims are invalid: expires_at is out of range");
        }
    }

    private static Instant fromRfc3339(String text) throws BadClaims {
        try {
            // RFC 3339 allows a lower-case 't' and 'z'; java.time only parses upper case.
            return OffsetDateTime.parse(text.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeException e) {
            throw new BadClaims(BAD_EXPIRES_AT);
        }
    }

    /** Ends the reading of claims with a reason safe to show a client; never leaves this class. */
    private static final class BadClaims extends Exception {
        BadClaims(String reason) {
            super(reason, null, false, false);
        }
    }
}
