package io.relaymesh.domain.port.contract;

import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.Listing;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.SessionCatalog;
import io.relaymesh.domain.port.SessionCatalog.HeldSession;
import io.relaymesh.domain.port.SessionLocks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Predicate;

import static io.relaymesh.domain.port.contract.Fixtures.LONG_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.PAST_SHORT_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.SHORT_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.pause;
import static io.relaymesh.domain.port.contract.Fixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link SessionCatalog} adapter must do, seen through the {@link SessionLocks} of the
 * same store. Each test uses a company id of its own and lists only keys containing it, because a
 * store shared by parallel tests (one Redis) holds other tests' sessions too.
 */
public abstract class SessionCatalogContract {

    /** The two faces of one session store. */
    public record Store(SessionLocks locks, SessionCatalog catalog) {
    }

    private Store store;

    /** A fresh adapter; adapters backed by a shared store may share it, since every test uses its own keys. */
    protected abstract Store createStore();

    @BeforeEach
    void createAdapter() {
        store = createStore();
    }

    @Test
    void list_findsHeldSessions_withTheirOwners_inKeyOrder() {
        String company = unique("co");
        SessionKey bob = SessionKey.user(company, "agent", "bob");
        SessionKey alice = SessionKey.user(company, "agent", "alice");
        SessionKey admin = SessionKey.admin(company + "-ops");
        SessionOwner bobOwner = newOwner();
        SessionOwner aliceOwner = newOwner();
        SessionOwner adminOwner = newOwner();
        store.locks().acquire(bob, bobOwner, LONG_TTL);
        store.locks().acquire(alice, aliceOwner, LONG_TTL);
        store.locks().acquire(admin, adminOwner, LONG_TTL);

        Listing<HeldSession> listing = store.catalog().list(containing(company), 10);

        assertEquals(List.of(new HeldSession(admin, adminOwner), new HeldSession(alice, aliceOwner),
                new HeldSession(bob, bobOwner)), listing.items());
        assertEquals(3, listing.total());
        assertFalse(listing.truncated());
    }

    @Test
    void list_leavesOutReleasedAndExpiredSessions() {
        String company = unique("co");
        SessionKey released = SessionKey.user(company, "agent", "released");
        SessionKey expired = SessionKey.user(company, "agent", "expired");
        SessionKey held = SessionKey.user(company, "agent", "held");
        SessionOwner releasedOwner = newOwner();
        store.locks().acquire(released, releasedOwner, LONG_TTL);
        store.locks().acquire(expired, newOwner(), SHORT_TTL);
        SessionOwner holder = newOwner();
        store.locks().acquire(held, holder, LONG_TTL);
        store.locks().release(released, releasedOwner);

        pause(PAST_SHORT_TTL);

        Listing<HeldSession> listing = store.catalog().list(containing(company), 10);
        assertEquals(List.of(new HeldSession(held, holder)), listing.items());
        assertEquals(1, listing.total());
    }

    @Test
    void list_showsTheNewOwner_afterATakeOver() {
        String company = unique("co");
        SessionKey key = SessionKey.user(company, "agent", "alice");
        SessionOwner older = newOwner();
        SessionOwner newer = newOwner();
        store.locks().acquire(key, older, LONG_TTL);
        store.locks().takeOver(key, older, newer, LONG_TTL);

        assertEquals(List.of(new HeldSession(key, newer)), store.catalog().list(containing(company), 10).items());
    }

    @Test
    void list_keepsAtMostTheLimit_theFirstInKeyOrder_andCountsTheRest() {
        String company = unique("co");
        for (String user : List.of("u3", "u1", "u5", "u2", "u4")) {
            store.locks().acquire(SessionKey.user(company, "agent", user), newOwner(), LONG_TTL);
        }

        Listing<HeldSession> listing = store.catalog().list(containing(company), 2);

        assertEquals(List.of(SessionKey.user(company, "agent", "u1"), SessionKey.user(company, "agent", "u2")),
                listing.items().stream().map(HeldSession::key).toList());
        assertEquals(5, listing.total());
        assertTrue(listing.truncated());
    }

    @Test
    void list_whenNothingMatches_isEmpty() {
        store.locks().acquire(SessionKey.user(unique("co"), "agent", "alice"), newOwner(), LONG_TTL);

        Listing<HeldSession> listing = store.catalog().list(containing(unique("nobody")), 10);

        assertEquals(List.of(), listing.items());
        assertEquals(0, listing.total());
        assertFalse(listing.truncated());
    }

    @Test
    void list_withNonPositiveLimit_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> store.catalog().list(key -> true, 0));
    }

    private static Predicate<SessionKey> containing(String text) {
        return key -> key.value().contains(text);
    }

    private static SessionOwner newOwner() {
        return new SessionOwner(new PodId(unique("pod")), new ConnectionId(unique("conn")));
    }
}
