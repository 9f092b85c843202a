package io.relaymesh.application.fakes;

import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.TokenCodec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token codec without cryptography: a token is an opaque name for claims remembered in a map.
 * A token it never issued is "undecryptable". Counts decodes so tests can see the cache at work.
 * Thread-safe.
 */
public final class FakeTokenCodec implements TokenCodec {
    public static final String UNDECODABLE_REASON = "token could not be decrypted";

    private final Map<String, Object> issued = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger decodes = new AtomicInteger();

    @Override
    public String encodeUser(UserClaims claims) {
        String token = "user-token-" + sequence.incrementAndGet();
        issued.put(token, claims);
        return token;
    }

    @Override
    public String encodeAdmin(AdminClaims claims) {
        String token = "admin-token-" + sequence.incrementAndGet();
        issued.put(token, claims);
        return token;
    }

    @Override
    public Decoded<UserClaims> decodeUser(String token) {
        return decode(token, UserClaims.class);
    }

    @Override
    public Decoded<AdminClaims> decodeAdmin(String token) {
        return decode(token, AdminClaims.class);
    }

    /** The claims a token was issued for, to inspect what an issuer encoded. */
    public Object claimsOf(String token) {
        return issued.get(token);
    }

    public int decodeCount() {
        return decodes.get();
    }

    private <T> Decoded<T> decode(String token, Class<T> type) {
        decodes.incrementAndGet();
        Object claims = issued.get(token);
        return type.isInstance(claims) ? new Decoded.Valid<>(type.cast(claims)) : new Decoded.Invalid<>(UNDECODABLE_REASON);
    }
}
