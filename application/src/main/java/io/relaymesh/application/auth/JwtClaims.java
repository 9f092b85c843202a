package io.relaymesh.application.auth;

import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.JwtVerifier;
import io.relaymesh.domain.port.TokenCodec.Decoded;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Supplier;

/**
 * Reads the primary protocol's claims out of a verified JWT. User tokens: {@code company_id},
 * {@code agent_id}, and the user id from {@code user_id} or else {@code sub}. Admin tokens carry
 * {@code "relaymesh_role": "admin"} (so a user token from the same issuer can never open an admin
 * connection, and an admin token never a user one), the admin id from {@code admin_id} or else
 * {@code sub}, and optional {@code subscribed_company_id}, {@code subscribed_agent_id},
 * {@code company_id_restriction}. The token's id is {@code jti}; its expiry is {@code exp} plus the
 * leeway. Stateless.
 */
public final class JwtClaims {
    /** The claim that tells admin tokens from user tokens. */
    public static final String ROLE = "relaymesh_role";
    public static final String ADMIN_ROLE = "admin";
    public static final String USER_ROLE = "user";

    private JwtClaims() {
    }

    /** Whether the verified token says it is an admin token. */
    public static boolean isAdmin(JwtVerifier.Claims claims) {
        return claims.text(ROLE).filter(ADMIN_ROLE::equals).isPresent();
    }

    public static Decoded<UserClaims> user(JwtVerifier.Claims claims) {
        Optional<String> role = claims.text(ROLE);
        if (claims.hasNonText(ROLE) || role.isPresent() && !role.get().equals(USER_ROLE) && !role.get().equals(ADMIN_ROLE)) {
            return invalid(ROLE + " must be \"user\" or \"admin\"");
        }
        if (isAdmin(claims)) {
            return invalid("this JWT is an admin token (" + ROLE + " admin); a user connection needs a user token");
        }
        String problem = nonText(claims, "company_id", "agent_id", "user_id", "sub", "jti");
        if (problem != null) {
            return invalid(problem);
        }
        String company = claims.text("company_id").orElse(null);
        String agent = claims.text("agent_id").orElse(null);
        String user = claims.text("user_id").or(() -> claims.text("sub")).orElse(null);
        if (company == null || agent == null || user == null) {
            return invalid("JWT claims are missing " + (company == null ? "company_id" : agent == null ? "agent_id"
                    : "user_id (or sub)"));
        }
        Object chats = claims.values().get("allowed_chat_ids");
        if (chats != null && !(chats instanceof List<?> list && !list.isEmpty()
                && list.stream().allMatch(String.class::isInstance))) {
            return invalid("allowed_chat_ids must be a non-empty list of chat ids");
        }
        Set<String> allowedChats = chats == null ? Set.of()
                : ((List<?>) chats).stream().map(String.class::cast).collect(Collectors.toUnmodifiableSet());
        return construct(() -> new UserClaims(company, agent, user, claims.validUntil(), claims.tokenId(),
                allowedChats));
    }

    public static Decoded<AdminClaims> admin(JwtVerifier.Claims claims) {
        if (!isAdmin(claims)) {
            return invalid("this JWT is not an admin token: admin tokens carry \"" + ROLE + "\": \"admin\"");
        }
        String problem = nonText(claims, "admin_id", "sub", "subscribed_company_id", "subscribed_agent_id",
                "company_id_restriction", "jti");
        if (problem != null) {
            return invalid(problem);
        }
        String admin = claims.text("admin_id").or(() -> claims.text("sub")).orElse(null);
        if (admin == null) {
            return invalid("JWT claims are missing admin_id (or sub)");
        }
        return construct(() -> new AdminClaims(admin, claims.validUntil(),
                claims.text("subscribed_company_id").orElse(""), claims.text("subscribed_agent_id").orElse(""),
                claims.text("company_id_restriction").orElse(""), claims.tokenId()));
    }

    private static String nonText(JwtVerifier.Claims claims, String... names) {
        for (String name : names) {
            if (claims.hasNonText(name)) {
                return "JWT claims are invalid: " + name + " must be a string";
            }
        }
        return null;
    }

    /** The domain records validate ids in their constructors; their message names the field. */
    private static <T> Decoded<T> construct(Supplier<T> constructor) {
        try {
            return new Decoded.Valid<>(constructor.get());
        } catch (IllegalArgumentException e) {
            return invalid("JWT claims are invalid: " + e.getMessage());
        }
    }

    private static <T> Decoded<T> invalid(String message) {
        return new Decoded.Invalid<>(message);
    }
}
