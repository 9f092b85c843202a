package io.relaymesh.application.dialect.conversations;

import io.relaymesh.domain.model.Names;
import io.relaymesh.domain.port.JwtVerifier;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Who presents a token: verifies the JWT (the shared verifier: {@code auth.jwt_secret},
 * {@code auth.jwks_file}, {@code auth.jwks_url}), takes the user id from {@code sub} (or
 * {@code user_id}) and the conversations the user may join from the configured claim. Thread-safe.
 */
public final class ChatAuthentication {

    /** Outcome of an {@code auth}. */
    public sealed interface Result {
        record Accepted(ChatUser user) implements Result {
        }

        /** {@code message} is safe to show to the client. */
        record Rejected(String reason, String message) implements Result {
        }
    }

    private final Supplier<JwtVerifier> verifier;
    private final ConversationsSettings settings;

    public ChatAuthentication(Supplier<JwtVerifier> verifier, ConversationsSettings settings) {
        this.verifier = verifier;
        this.settings = settings;
    }

    public Result authenticate(String token) {
        if (token == null || token.isBlank()) {
            return new Result.Rejected("missing", "payload.token is missing");
        }
        JwtVerifier.Claims claims;
        switch (verifier.get().verify(token)) {
            case JwtVerifier.Verified.Invalid invalid -> {
                return new Result.Rejected(invalid.reason(), invalid.message());
            }
            case JwtVerifier.Verified.Valid valid -> claims = valid.claims();
        }
        String user = claims.text("sub").or(() -> claims.text("user_id")).orElse(null);
        if (user == null) {
            return new Result.Rejected("claims", "the token has no sub (or user_id) claim");
        }
        String problem = Names.problemWith(user);
        if (problem != null) {
            return new Result.Rejected("claims", "the token's user id " + problem);
        }
        Object listed = claims.values().get(settings.conversationsClaim());
        Set<String> conversations;
        if (listed == null) {
            conversations = settings.allowWithoutClaim() ? null : Set.of();
        } else if ("*".equals(listed)) {
            conversations = null;
        } else if (listed instanceof List<?> ids) {
            conversations = new LinkedHashSet<>();
            for (Object id : ids) {
                if (id instanceof String s) {
                    conversations.add(s);
                }
            }
        } else {
            return new Result.Rejected("claims", "the token's " + settings.conversationsClaim()
                    + " claim must be a list of conversation ids or \"*\"");
        }
        return new Result.Accepted(new ChatUser(user, UUID.randomUUID().toString(), conversations, claims.validUntil()));
    }
}
