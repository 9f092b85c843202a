package io.relaymesh.domain.port.contract;

import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.TokenCache;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static io.relaymesh.domain.port.contract.Fixtures.LONG_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.PAST_SHORT_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.SHORT_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.pause;
import static io.relaymesh.domain.port.contract.Fixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What every {@link TokenCache} adapter must do. Claims are only ever {@link UserClaims} or
 * {@link AdminClaims} (an adapter that serializes may rely on that). Beyond the port's javadoc it
 * pins down: a lookup with another claims type finds nothing (a user token's entry never answers an
 * admin lookup); a non-positive TTL caches nothing, since it comes from a token's remaining life,
 * which may already be over.
 */
public abstract class TokenCacheContract {

    /** Token expiry is whole seconds on the wire, so the contract does not ask adapters to keep nanoseconds. */
    private static final Instant EXPIRES_AT = Instant.parse("2031-05-01T12:00:00Z");

    private TokenCache cache;

    /** A fresh adapter; adapters backed by a shared store may share it, since every test uses its own hashes. */
    protected abstract TokenCache createCache();

    @BeforeEach
    void createAdapter() {
        cache = createCache();
    }

    @Test
    void put_thenGet_returnsUserClaims() {
        String hash = newHash();
        UserClaims claims = newUserClaims();

        cache.put(hash, claims, LONG_TTL);

        assertEquals(Optional.of(claims), cache.get(hash, UserClaims.class));
    }

    @Test
    void put_thenGet_returnsAdminClaimsWithEmptySubscription() {
        String hash = newHash();
        AdminClaims claims = new AdminClaims(unique("admin"), EXPIRES_AT, "", "", "");

        cache.put(hash, claims, LONG_TTL);

        assertEquals(Optional.of(claims), cache.get(hash, AdminClaims.class));
    }

    @Test
    void entriesOfDifferentHashes_areIndependent() {
        String firstHash = newHash();
        String secondHash = newHash();
        UserClaims first = newUserClaims();
        AdminClaims second = new AdminClaims(unique("admin"), EXPIRES_AT, unique("company"), "agent", "acme");

        cache.put(firstHash, first, LONG_TTL);
        cache.put(secondHash, second, LONG_TTL);

        assertEquals(Optional.of(first), cache.get(firstHash, UserClaims.class));
        assertEquals(Optional.of(second), cache.get(secondHash, AdminClaims.class));
    }

    @Test
    void get_ofUnknownHash_isEmpty() {
        assertEquals(Optional.empty(), cache.get(newHash(), UserClaims.class));
    }

    @Test
    void get_withOtherClaimsType_isEmpty() {
        String hash = newHash();
        UserClaims claims = newUserClaims();
        cache.put(hash, claims, LONG_TTL);

        assertEquals(Optional.empty(), cache.get(hash, AdminClaims.class));
        assertEquals(Optional.of(claims), cache.get(hash, UserClaims.class), "a mismatched lookup must not evict");
    }

    @Test
    void put_again_replacesClaims() {
        String hash = newHash();
        cache.put(hash, newUserClaims(), LONG_TTL);
        UserClaims replacement = newUserClaims();

        cache.put(hash, replacement, LONG_TTL);

        assertEquals(Optional.of(replacement), cache.get(hash, UserClaims.class));
    }

    @Test
    void tokenCache_entryExpires() {
        String hash = newHash();
        UserClaims claims = newUserClaims();
        cache.put(hash, claims, SHORT_TTL);
        assertEquals(Optional.of(claims), cache.get(hash, UserClaims.class));

        pause(PAST_SHORT_TTL);

        assertEquals(Optional.empty(), cache.get(hash, UserClaims.class));
    }

    @Test
    void put_again_extendsEntryPastFirstTtl() {
        String hash = newHash();
        UserClaims claims = newUserClaims();
        cache.put(hash, claims, Duration.ofMillis(400));
        pause(Duration.ofMillis(100));

        cache.put(hash, claims, Duration.ofMillis(1500));
        pause(Duration.ofMillis(500));

        assertEquals(Optional.of(claims), cache.get(hash, UserClaims.class));
    }

    @Test
    void put_withNonPositiveTtl_cachesNothing() {
        String zero = newHash();
        String negative = newHash();

        cache.put(zero, newUserClaims(), Duration.ZERO);
        cache.put(negative, newUserClaims(), Duration.ofSeconds(-5));

        assertEquals(Optional.empty(), cache.get(zero, UserClaims.class));
        assertEquals(Optional.empty(), cache.get(negative, UserClaims.class));
    }

    /** Shaped like the hex SHA-256 the application keys entries by. */
    private static String newHash() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static UserClaims newUserClaims() {
        return new UserClaims(unique("company"), "agent", unique("user"), EXPIRES_AT);
    }
}
