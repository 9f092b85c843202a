package io.relaymesh.bootstrap;

import io.relaymesh.adapters.crypto.AesGcmTokenCodec;
import io.relaymesh.adapters.crypto.KeySet;
import io.relaymesh.application.auth.ApiKeys;
import io.relaymesh.bootstrap.config.AuthConfig;
import io.relaymesh.domain.port.TokenCodec;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The auth keys across reloads (the four server-side keys and the two public client keys). When a reload changes one, the old value is retired rather
 * than forgotten: it stays accepted (API keys) or keeps decrypting (AES keys; new tokens use the
 * new key) until {@code auth.key_rotation_overlap_seconds} after the change, so clients move over
 * without being cut off. Thread-safe: every method is synchronized.
 */
final class KeyRotation {

    /** One of the four rotating keys, by its config key. */
    enum Kind {
        GENERAL_API_KEY("auth.secret_token"),
        USER_TOKEN_KEY("auth.token_aes_key"),
        ADMIN_API_KEY("auth.admin_secret_token"),
        ADMIN_TOKEN_KEY("auth.admin_token_aes_key"),
        CLIENT_API_KEY("auth.client_api_key"),
        ADMIN_CLIENT_API_KEY("auth.admin_client_api_key");

        final String key;

        Kind(String key) {
            this.key = key;
        }

        String of(AuthConfig auth) {
            return switch (this) {
                case GENERAL_API_KEY -> auth.secretToken();
                case USER_TOKEN_KEY -> auth.tokenAesKey();
                case ADMIN_API_KEY -> auth.adminSecretToken();
                case ADMIN_TOKEN_KEY -> auth.adminTokenAesKey();
                case CLIENT_API_KEY -> auth.clientApiKey();
                case ADMIN_CLIENT_API_KEY -> auth.adminClientApiKey();
            };
        }
    }

    /** A previous value of a key, accepted until {@code until}. Its toString never shows the value. */
    record Retired(Kind kind, String value, Instant until) {
        @Override
        public String toString() {
            return "Retired[" + kind.key + " until " + until + "]";
        }
    }

    private final Map<Kind, String> current = new EnumMap<>(Kind.class);
    // Newest first, so decryption tries the most recently retired key before older ones.
    private final List<Retired> retired = new ArrayList<>();
    private boolean wsAcceptsSecretToken;

    KeyRotation(AuthConfig auth) {
        for (Kind kind : Kind.values()) {
            current.put(kind, kind.of(auth));
        }
        wsAcceptsSecretToken = auth.wsAcceptsSecretToken();
    }

    /**
     * Moves to the keys of {@code next}: each key that changed is retired until {@code now} plus
     * its overlap (with an overlap of zero it is dropped at once). A key set back to a value still
     * retired becomes current again.
     *
     * @return the keys retired by this call
     */
    synchronized List<Retired> rotate(AuthConfig next, Instant now) {
        Duration overlap = next.keyRotationOverlap();
        List<Retired> added = new ArrayList<>();
        wsAcceptsSecretToken = next.wsAcceptsSecretToken();
        for (Kind kind : Kind.values()) {
            String old = current.get(kind);
            String fresh = kind.of(next);
            if (old.equals(fresh)) {
                continue;
            }
            current.put(kind, fresh);
            retired.removeIf(r -> r.kind() == kind && (r.value().equals(fresh) || r.value().equals(old)));
            // A client key set where there was none retires nothing: "" is no key to keep accepting.
            if (overlap.isPositive() && !old.isEmpty()) {
                Retired entry = new Retired(kind, old, now.plus(overlap));
                retired.addFirst(entry);
                added.add(entry);
            }
        }
        return added;
    }

    /** Drops the retired keys whose overlap has ended by {@code now}; returns them. */
    synchronized List<Retired> dropExpired(Instant now) {
        List<Retired> dropped = retired.stream().filter(r -> !r.until().isAfter(now)).toList();
        retired.removeAll(dropped);
        return dropped;
    }

    /** When the next retired key expires, if any is left. */
    synchronized Optional<Instant> nextExpiry() {
        return retired.stream().map(Retired::until).min(Instant::compareTo);
    }

    synchronized List<Retired> retired() {
        return List.copyOf(retired);
    }

    /** The API keys now accepted: current ones and the retired ones still in their overlap. */
    synchronized ApiKeys apiKeys() {
        return new ApiKeys(current.get(Kind.GENERAL_API_KEY), current.get(Kind.ADMIN_API_KEY),
                previous(Kind.GENERAL_API_KEY), previous(Kind.ADMIN_API_KEY),
                new ApiKeys.ClientKeys(current.get(Kind.CLIENT_API_KEY), current.get(Kind.ADMIN_CLIENT_API_KEY),
                        previous(Kind.CLIENT_API_KEY), previous(Kind.ADMIN_CLIENT_API_KEY), wsAcceptsSecretToken));
    }

    /** A codec that encrypts with the current AES keys and decrypts with those and the retired ones. */
    synchronized TokenCodec codec() {
        return new AesGcmTokenCodec(new KeySet(current.get(Kind.USER_TOKEN_KEY), previous(Kind.USER_TOKEN_KEY)),
                new KeySet(current.get(Kind.ADMIN_TOKEN_KEY), previous(Kind.ADMIN_TOKEN_KEY)));
    }

    private List<String> previous(Kind kind) {
        return retired.stream().filter(r -> r.kind() == kind).map(Retired::value).toList();
    }
}
