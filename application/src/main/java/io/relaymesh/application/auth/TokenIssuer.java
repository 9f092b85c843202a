package io.relaymesh.application.auth;

import io.relaymesh.application.settings.GatewaySettings;
import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.Names;
import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.IdGenerator;
import io.relaymesh.domain.port.TokenCodec;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/** Issues user and admin tokens after validating each requested field. Thread-safe. */
public final class TokenIssuer {

    /**
     * A user token request as received; null means the field was absent.
     *
     * @param allowedChatIds the chats the user may select, or null for any chat
     */
    public record UserTokenRequest(String companyId, String agentId, String userId, Long expiresInSeconds,
                                   List<String> allowedChatIds) {
        public UserTokenRequest(String companyId, String agentId, String userId, Long expiresInSeconds) {
            this(companyId, agentId, userId, expiresInSeconds, null);
        }
    }

    /** An admin token request as received; null means the field was absent. */
    public record AdminTokenRequest(String adminId, Long expiresInSeconds, String subscribedCompanyId,
                                    String subscribedAgentId, String companyIdRestriction) {
    }

    /** Outcome of a request. */
    public sealed interface Issue {
        /** {@code tokenId} is the token's {@code jti}, by which it can be revoked. */
        record Issued(String token, Instant expiresAt, String tokenId) implements Issue {
        }

        /** The request is invalid; {@code field} names the offending field. */
        record Invalid(String field, String message) implements Issue {
        }
    }

    private final Supplier<TokenCodec> codec;
    private final Clock clock;
    private final Supplier<GatewaySettings> settings;
    private final IdGenerator ids;

    /** @param ids makes each token's id ({@code jti}); random UUIDs in production, so ids cannot be guessed */
    public TokenIssuer(Supplier<TokenCodec> codec, Clock clock, Supplier<GatewaySettings> settings, IdGenerator ids) {
        this.codec = codec;
        this.clock = clock;
        this.settings = settings;
        this.ids = ids;
    }

    public TokenIssuer(Supplier<TokenCodec> codec, Clock clock, Supplier<GatewaySettings> settings) {
        this(codec, clock, settings, () -> UUID.randomUUID().toString());
    }

    public Issue issueUser(UserTokenRequest request) {
        for (String[] field : new String[][]{{"company_id", request.companyId()}, {"agent_id", request.agentId()},
                {"user_id", request.userId()}}) {
            String problem = Names.problemWith(field[1]);
            if (problem != null) {
                return new Issue.Invalid(field[0], field[0] + " " + (field[1] == null ? "is required" : problem));
            }
        }
        Issue.Invalid badChats = allowedChatsProblem(request.allowedChatIds());
        if (badChats != null) {
            return badChats;
        }
        Set<String> allowedChats = request.allowedChatIds() == null ? Set.of() : Set.copyOf(request.allowedChatIds());
        return expiry(request.expiresInSeconds()).map(expiresAt -> {
            String tokenId = ids.next();
            UserClaims claims = new UserClaims(request.companyId(), request.agentId(), request.userId(), expiresAt,
                    tokenId, allowedChats);
            return new Issue.Issued(codec.get().encodeUser(claims), expiresAt, tokenId);
        });
    }

    /** An empty list is refused: it would read as "any chat", the opposite of what it says. */
    private static Issue.Invalid allowedChatsProblem(List<String> chats) {
        if (chats == null) {
            return null;
        }
        if (chats.isEmpty()) {
            return new Issue.Invalid("allowed_chat_ids",
                    "allowed_chat_ids must list at least one chat id; leave it out to allow any chat");
        }
        if (new HashSet<>(chats).size() > UserClaims.MAX_ALLOWED_CHATS) {
            return new Issue.Invalid("allowed_chat_ids",
                    "allowed_chat_ids must list at most " + UserClaims.MAX_ALLOWED_CHATS + " chat ids");
        }
        for (String chat : chats) {
            String problem = Names.problemWith(chat);
            if (problem != null) {
                return new Issue.Invalid("allowed_chat_ids", "allowed_chat_ids entry " + problem);
            }
        }
        return null;
    }

    public Issue issueAdmin(AdminTokenRequest request) {
        String problem = Names.problemWith(request.adminId());
        if (problem != null) {
            return new Issue.Invalid("admin_id", "admin_id " + (request.adminId() == null ? "is required" : problem));
        }
        for (String[] field : new String[][]{{"subscribed_company_id", request.subscribedCompanyId()},
                {"subscribed_agent_id", request.subscribedAgentId()},
                {"company_id_restriction", request.companyIdRestriction()}}) {
            if (field[1] != null && !field[1].isEmpty() && !field[1].equals("*")) {
                String fieldProblem = Names.problemWith(field[1]);
                if (fieldProblem != null) {
                    return new Issue.Invalid(field[0], field[0] + " " + fieldProblem);
                }
            }
        }
        if ("*".equals(request.companyIdRestriction())) {
            return new Issue.Invalid("company_id_restriction",
                    "company_id_restriction must be a company id or empty (no restriction)");
        }
        return expiry(request.expiresInSeconds()).map(expiresAt -> {
            String tokenId = ids.next();
            AdminClaims claims = new AdminClaims(request.adminId(), expiresAt,
                    star(request.subscribedCompanyId()), star(request.subscribedAgentId()),
                    request.companyIdRestriction(), tokenId);
            return new Issue.Issued(codec.get().encodeAdmin(claims), expiresAt, tokenId);
        });
    }

    private static String star(String value) {
        return "*".equals(value) ? "" : value;
    }

    private sealed interface Expiry {
        Issue map(java.util.function.Function<Instant, Issue> issue);

        record At(Instant instant) implements Expiry {
            public Issue map(java.util.function.Function<Instant, Issue> issue) {
                return issue.apply(instant);
            }
        }

        record Bad(Issue.Invalid invalid) implements Expiry {
            public Issue map(java.util.function.Function<Instant, Issue> issue) {
                return invalid;
            }
        }
    }

    private Expiry expiry(Long expiresInSeconds) {
        GatewaySettings s = settings.get();
        Duration ttl = expiresInSeconds == null ? s.defaultTokenTtl() : Duration.ofSeconds(expiresInSeconds);
        if (expiresInSeconds != null && expiresInSeconds <= 0) {
            return new Expiry.Bad(new Issue.Invalid("expires_in_seconds", "expires_in_seconds must be positive"));
        }
        if (ttl.compareTo(s.maxTokenTtl()) > 0) {
            return new Expiry.Bad(new Issue.Invalid("expires_in_seconds",
                    "expires_in_seconds must be at most " + s.maxTokenTtl().toSeconds()));
        }
        // Whole seconds, as the token and the response carry epoch seconds.
        return new Expiry.At(Instant.ofEpochSecond(clock.now().plus(ttl).getEpochSecond()));
    }
}
