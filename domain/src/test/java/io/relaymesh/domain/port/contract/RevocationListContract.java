package io.relaymesh.domain.port.contract;

import io.relaymesh.domain.port.RevocationList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.relaymesh.domain.port.contract.Fixtures.LONG_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.PAST_SHORT_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.SHORT_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.pause;
import static io.relaymesh.domain.port.contract.Fixtures.unique;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link RevocationList} adapter must do: a revoked id stays revoked until the expiry it
 * was given, then is forgotten (the token is refused for its expiry from then on); other ids are
 * unaffected; revoking twice is harmless and says it was already revoked; a past expiry records
 * nothing. Expiry is real time, since a Redis adapter expires entries in real time.
 */
public abstract class RevocationListContract {

    private RevocationList list;

    /** A fresh adapter; adapters backed by a shared store may share it, since every test uses its own ids. */
    protected abstract RevocationList createList();

    @BeforeEach
    void createAdapter() {
        list = createList();
    }

    @Test
    void revokedId_isRevoked() {
        String id = unique("jti");

        assertTrue(list.revoke(id, Instant.now().plus(LONG_TTL)));

        assertTrue(list.isRevoked(id));
    }

    @Test
    void idNeverRevoked_isNotRevoked() {
        list.revoke(unique("jti"), Instant.now().plus(LONG_TTL));

        assertFalse(list.isRevoked(unique("jti")));
    }

    @Test
    void revokingTwice_keepsItRevoked_andReportsTheSecondAsNotNew() {
        String id = unique("jti");

        assertTrue(list.revoke(id, Instant.now().plus(LONG_TTL)));
        assertFalse(list.revoke(id, Instant.now().plus(LONG_TTL)));

        assertTrue(list.isRevoked(id));
    }

    @Test
    void revocation_isForgottenAfterTheTokensExpiry() {
        String id = unique("jti");
        list.revoke(id, Instant.now().plus(SHORT_TTL));

        pause(PAST_SHORT_TTL);

        assertFalse(list.isRevoked(id));
    }

    @Test
    void revocationWithAnExpiryAlreadyPast_recordsNothing() {
        String id = unique("jti");

        assertFalse(list.revoke(id, Instant.now().minusSeconds(5)));

        assertFalse(list.isRevoked(id));
    }
}
