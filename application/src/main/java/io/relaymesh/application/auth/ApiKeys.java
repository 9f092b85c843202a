package io.relaymesh.application.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * The API keys: the general key (user tokens, user connections) and the admin key (admin tokens,
 * admin connections, publishing). Previous keys stay accepted during a rotation overlap.
 * Comparison is constant-time so a wrong key reveals nothing through timing.
 */
public record ApiKeys(String general, String admin, List<String> previousGeneral, List<String> previousAdmin) {
    public ApiKeys {
        Objects.requireNonNull(general, "general key");
        Objects.requireNonNull(admin, "admin key");
        previousGeneral = List.copyOf(previousGeneral);
        previousAdmin = List.copyOf(previousAdmin);
    }

    public ApiKeys(String general, String admin) {
        this(general, admin, List.of(), List.of());
    }

    public boolean isGeneral(String candidate) {
        return matches(candidate, general, previousGeneral);
    }

    public boolean isAdmin(String candidate) {
        return matches(candidate, admin, previousAdmin);
    }

    private static boolean matches(String candidate, String current, List<String> previous) {
        if (candidate == null || candidate.isEmpty()) {
            return false;
        }
        boolean ok = constantTimeEquals(candidate, current);
        for (String old : previous) {
            ok |= constantTimeEquals(candidate, old);
        }
        return ok;
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ApiKeys[masked]";
    }
}
