package io.relaymesh.application.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * The API keys. The server keys, general (mints user tokens) and admin (mints admin tokens,
 * publishes, admin API), are server-side secrets for the HTTP API. The client keys are public keys
 * a WebSocket client may present; they mint nothing. Previous keys stay accepted during a rotation
 * overlap. Comparison is constant-time so a wrong key reveals nothing through timing.
 *
 * @param clients the WebSocket side: client keys and whether a server key is still accepted there
 */
public record ApiKeys(String general, String admin, List<String> previousGeneral, List<String> previousAdmin,
                      ClientKeys clients) {
    public ApiKeys {
        Objects.requireNonNull(general, "general key");
        Objects.requireNonNull(admin, "admin key");
        previousGeneral = List.copyOf(previousGeneral);
        previousAdmin = List.copyOf(previousAdmin);
        Objects.requireNonNull(clients, "client keys");
    }

    /** Server keys only, with the seed's WebSocket rule (the server key accepted on sockets). */
    public ApiKeys(String general, String admin, List<String> previousGeneral, List<String> previousAdmin) {
        this(general, admin, previousGeneral, previousAdmin, ClientKeys.SEED_COMPATIBLE);
    }

    public ApiKeys(String general, String admin) {
        this(general, admin, List.of(), List.of());
    }

    /**
     * The WebSocket side of the keys.
     *
     * @param user {@code auth.client_api_key}, or "" when none is configured
     * @param admin {@code auth.admin_client_api_key}, or ""
     * @param previousUser retired user client keys still in their overlap
     * @param previousAdmin retired admin client keys still in their overlap
     * @param serverKeyAccepted {@code auth.ws_accepts_secret_token}: the seed's clients send the
     *     server key on the socket URL, which puts the minting key in every browser
     */
    public record ClientKeys(String user, String admin, List<String> previousUser, List<String> previousAdmin,
                             boolean serverKeyAccepted) {
        public static final ClientKeys SEED_COMPATIBLE = new ClientKeys("", "", List.of(), List.of(), true);

        public ClientKeys {
            Objects.requireNonNull(user, "user client key");
            Objects.requireNonNull(admin, "admin client key");
            previousUser = List.copyOf(previousUser);
            previousAdmin = List.copyOf(previousAdmin);
        }

        @Override
        public String toString() {
            return "ClientKeys[masked, serverKeyAccepted=" + serverKeyAccepted + "]";
        }
    }

    /** What a key presented on a WebSocket upgrade amounts to. */
    public sealed interface SocketKey {
        /** Accepted; {@code serverKey} when it was the server key (allowed by the compatibility setting). */
        record Accepted(boolean serverKey) implements SocketKey {
        }

        /** Refused; {@code serverKey} when the refused key was the server key. The message is safe to show. */
        record Refused(boolean serverKey, String message) implements SocketKey {
        }
    }

    /** The HTTP API's general key (user tokens). */
    public boolean isGeneral(String candidate) {
        return matches(candidate, general, previousGeneral);
    }

    /** The HTTP API's admin key (admin tokens, publishing, admin API). */
    public boolean isAdmin(String candidate) {
        return matches(candidate, admin, previousAdmin);
    }

    /** Whether {@code candidate} is one of the public client keys, which call no HTTP API. */
    public boolean isClientKey(String candidate) {
        return matches(candidate, clients.user(), clients.previousUser())
                | matches(candidate, clients.admin(), clients.previousAdmin());
    }

    /**
     * Checks the key of a WebSocket upgrade ({@code /ws/admin} when {@code adminSocket}). The server
     * key is refused unless the compatibility setting allows it; then, as in the seed, some key is
     * required (the server key or the client key). Otherwise a configured client key is required,
     * and with none configured the key is optional: the token is the credential, and a public key
     * would add no secrecy. Any other key is refused, so a typo is not silently ignored.
     */
    public SocketKey checkSocket(String candidate, boolean adminSocket) {
        String kind = adminSocket ? "admin " : "";
        String clientSetting = adminSocket ? "auth.admin_client_api_key" : "auth.client_api_key";
        String serverSetting = adminSocket ? "auth.admin_secret_token" : "auth.secret_token";
        boolean serverKey = adminSocket ? isAdmin(candidate) : isGeneral(candidate);
        if (serverKey) {
            return clients.serverKeyAccepted() ? new SocketKey.Accepted(true) : new SocketKey.Refused(true,
                    "the " + kind + "server key (" + serverSetting + ") may not be sent by WebSocket clients: "
                            + "it mints tokens; present the public " + kind + "client key (" + clientSetting
                            + ") or no key, with a token");
        }
        String client = adminSocket ? clients.admin() : clients.user();
        List<String> previous = adminSocket ? clients.previousAdmin() : clients.previousUser();
        if (candidate == null || candidate.isEmpty()) {
            boolean required = clients.serverKeyAccepted() || !client.isEmpty() || !previous.isEmpty();
            return !required ? new SocketKey.Accepted(false)
                    : new SocketKey.Refused(false, kind + "API key is missing: pass the " + kind
                    + "client key as the X-API-Key header or the x-api-key query parameter");
        }
        return matches(candidate, client, previous) ? new SocketKey.Accepted(false)
                : new SocketKey.Refused(false, kind + "API key is invalid");
    }

    private static boolean matches(String candidate, String current, List<String> previous) {
        if (candidate == null || candidate.isEmpty()) {
            return false;
        }
        boolean ok = !current.isEmpty() & constantTimeEquals(candidate, current);
        for (String old : previous) {
            ok |= !old.isEmpty() & constantTimeEquals(candidate, old);
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
