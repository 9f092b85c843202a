package io.relaymesh.domain.port.contract;

import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.SessionLocks;
import io.relaymesh.domain.port.SessionLocks.Acquisition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.relaymesh.domain.port.contract.Fixtures.LONG_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.PAST_SHORT_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.SHORT_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.pause;
import static io.relaymesh.domain.port.contract.Fixtures.race;
import static io.relaymesh.domain.port.contract.Fixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link SessionLocks} adapter must do. Beyond the port's javadoc it pins down: acquiring
 * a lock one already holds reports {@code HeldBy} itself (acquire only takes free locks); an expired
 * lock counts as free for acquire and as not held for takeOver/refresh/release; refresh sets the
 * expiry to now + ttl (it may shorten it); a non-positive TTL is a programming error
 * ({@link IllegalArgumentException}) and changes nothing.
 */
public abstract class SessionLocksContract {

    private SessionLocks locks;

    /** A fresh adapter; adapters backed by a shared store may share it, since every test uses its own keys. */
    protected abstract SessionLocks createLocks();

    @BeforeEach
    void createAdapter() {
        locks = createLocks();
    }

    // acquire

    @Test
    void acquire_freeLock_succeedsAndRecordsOwner() {
        SessionKey key = newKey();
        SessionOwner owner = newOwner();

        assertEquals(new Acquisition.Acquired(), locks.acquire(key, owner, LONG_TTL));
        assertEquals(Optional.of(owner), locks.owner(key));
    }

    @Test
    void secondOwner_cannotAcquireHeldLock() {
        SessionKey key = newKey();
        SessionOwner first = newOwner();
        locks.acquire(key, first, LONG_TTL);

        assertEquals(new Acquisition.HeldBy(first), locks.acquire(key, newOwner(), LONG_TTL));
        assertEquals(Optional.of(first), locks.owner(key));
    }

    @Test
    void acquire_bySameOwnerAgain_reportsHeldByItself() {
        SessionKey key = newKey();
        SessionOwner owner = newOwner();
        locks.acquire(key, owner, LONG_TTL);

        assertEquals(new Acquisition.HeldBy(owner), locks.acquire(key, owner, LONG_TTL));
    }

    @Test
    void sameConnectionIdOnAnotherPod_isAnotherOwner() {
        SessionKey key = newKey();
        ConnectionId connection = new ConnectionId(unique("conn"));
        SessionOwner onPodA = new SessionOwner(new PodId(unique("pod-a")), connection);
        SessionOwner onPodB = new SessionOwner(new PodId(unique("pod-b")), connection);
        locks.acquire(key, onPodA, LONG_TTL);

        assertEquals(new Acquisition.HeldBy(onPodA), locks.acquire(key, onPodB, LONG_TTL));
        assertFalse(locks.release(key, onPodB));
    }

    @Test
    void locksOfDifferentKeys_areIndependent() {
        SessionKey first = newKey();
        SessionKey second = newKey();
        SessionOwner owner = newOwner();
        SessionOwner other = newOwner();
        locks.acquire(first, owner, LONG_TTL);

        assertEquals(new Acquisition.Acquired(), locks.acquire(second, other, LONG_TTL));
        assertEquals(Optional.of(owner), locks.owner(first));
        assertEquals(Optional.of(other), locks.owner(second));
    }

    @Test
    void lock_expiresAfterTtl() {
        SessionKey key = newKey();
        SessionOwner first = newOwner();
        locks.acquire(key, first, SHORT_TTL);
        assertEquals(Optional.of(first), locks.owner(key));

        pause(PAST_SHORT_TTL);

        assertEquals(Optional.empty(), locks.owner(key));
        SessionOwner next = newOwner();
        assertEquals(new Acquisition.Acquired(), locks.acquire(key, next, LONG_TTL));
        assertEquals(Optional.of(next), locks.owner(key));
    }

    @Test
    void concurrentAcquires_exactlyOneWins() {
        SessionKey key = newKey();
        List<SessionOwner> owners = List.of(newOwner(), newOwner(), newOwner(), newOwner(), newOwner(),
                newOwner(), newOwner(), newOwner());

        List<Acquisition> outcomes = race(owners.size(), i -> locks.acquire(key, owners.get(i), LONG_TTL));

        int winner = outcomes.indexOf(new Acquisition.Acquired());
        assertTrue(winner >= 0, "nobody acquired the lock: " + outcomes);
        assertEquals(1, outcomes.stream().filter(Acquisition.Acquired.class::isInstance).count(), outcomes.toString());
        assertEquals(Optional.of(owners.get(winner)), locks.owner(key));
        for (Acquisition outcome : outcomes) {
            if (outcome instanceof Acquisition.HeldBy heldBy) {
                assertEquals(owners.get(winner), heldBy.owner());
            }
        }
    }

    // takeOver

    @Test
    void takeOver_fromCurrentOwner_replacesIt() {
        SessionKey key = newKey();
        SessionOwner old = newOwner();
        SessionOwner newer = newOwner();
        locks.acquire(key, old, LONG_TTL);

        assertTrue(locks.takeOver(key, old, newer, LONG_TTL));

        assertEquals(Optional.of(newer), locks.owner(key));
        assertFalse(locks.refresh(key, old, LONG_TTL), "the replaced owner must lose the lock");
        assertFalse(locks.release(key, old), "the replaced owner must lose the lock");
        assertEquals(Optional.of(newer), locks.owner(key));
    }

    @Test
    void takeOver_fromStaleExpectedOwner_fails() {
        SessionKey key = newKey();
        SessionOwner first = newOwner();
        SessionOwner second = newOwner();
        locks.acquire(key, first, LONG_TTL);
        locks.takeOver(key, first, second, LONG_TTL);

        assertFalse(locks.takeOver(key, first, newOwner(), LONG_TTL));
        assertEquals(Optional.of(second), locks.owner(key));
    }

    @Test
    void takeOver_ofFreeLock_fails() {
        SessionKey key = newKey();

        assertFalse(locks.takeOver(key, newOwner(), newOwner(), LONG_TTL));
        assertEquals(Optional.empty(), locks.owner(key));
    }

    @Test
    void takeOver_ofExpiredLock_fails() {
        SessionKey key = newKey();
        SessionOwner expired = newOwner();
        locks.acquire(key, expired, SHORT_TTL);
        pause(PAST_SHORT_TTL);

        assertFalse(locks.takeOver(key, expired, newOwner(), LONG_TTL));
        assertEquals(Optional.empty(), locks.owner(key));
    }

    @Test
    void takeOver_appliesItsOwnTtl() {
        SessionKey key = newKey();
        SessionOwner old = newOwner();
        locks.acquire(key, old, LONG_TTL);

        assertTrue(locks.takeOver(key, old, newOwner(), SHORT_TTL));
        pause(PAST_SHORT_TTL);

        assertEquals(Optional.empty(), locks.owner(key));
    }

    @Test
    void concurrentTakeOvers_fromSameOwner_exactlyOneWins() {
        SessionKey key = newKey();
        SessionOwner old = newOwner();
        locks.acquire(key, old, LONG_TTL);
        List<SessionOwner> contenders = List.of(newOwner(), newOwner(), newOwner(), newOwner(), newOwner(),
                newOwner(), newOwner(), newOwner());

        List<Boolean> outcomes = race(contenders.size(), i -> locks.takeOver(key, old, contenders.get(i), LONG_TTL));

        assertEquals(1, outcomes.stream().filter(Boolean::booleanValue).count(), outcomes.toString());
        assertEquals(Optional.of(contenders.get(outcomes.indexOf(true))), locks.owner(key));
    }

    // refresh

    @Test
    void refresh_byOwner_extendsLockPastOriginalTtl() {
        SessionKey key = newKey();
        SessionOwner owner = newOwner();
        locks.acquire(key, owner, Duration.ofMillis(400));
        pause(Duration.ofMillis(100));

        assertTrue(locks.refresh(key, owner, Duration.ofMillis(1500)));
        pause(Duration.ofMillis(500));

        assertEquals(Optional.of(owner), locks.owner(key), "the lock must outlive its first TTL once refreshed");
    }

    @Test
    void refresh_withShortTtl_letsLockExpire() {
        SessionKey key = newKey();
        SessionOwner owner = newOwner();
        locks.acquire(key, owner, LONG_TTL);

        assertTrue(locks.refresh(key, owner, SHORT_TTL));
        pause(PAST_SHORT_TTL);

        assertEquals(Optional.empty(), locks.owner(key));
    }

    @Test
    void refresh_byNonOwner_failsAndKeepsLock() {
        SessionKey key = newKey();
        SessionOwner owner = newOwner();
        locks.acquire(key, owner, LONG_TTL);

        assertFalse(locks.refresh(key, newOwner(), LONG_TTL));
        assertEquals(Optional.of(owner), locks.owner(key));
    }

    @Test
    void refresh_ofFreeLock_failsAndDoesNotTakeIt() {
        SessionKey key = newKey();

        assertFalse(locks.refresh(key, newOwner(), LONG_TTL));
        assertEquals(Optional.empty(), locks.owner(key));
    }

    @Test
    void refresh_ofExpiredLock_failsAndDoesNotReviveIt() {
        SessionKey key = newKey();
        SessionOwner owner = newOwner();
        locks.acquire(key, owner, SHORT_TTL);
        pause(PAST_SHORT_TTL);

        assertFalse(locks.refresh(key, owner, LONG_TTL));
        assertEquals(Optional.empty(), locks.owner(key));
    }

    // refreshAll

    @Test
    void refreshAll_extendsEveryHeldLock() {
        SessionKey first = newKey();
        SessionKey second = newKey();
        SessionOwner firstOwner = newOwner();
        SessionOwner secondOwner = newOwner();
        locks.acquire(first, firstOwner, Duration.ofMillis(400));
        locks.acquire(second, secondOwner, Duration.ofMillis(400));
        pause(Duration.ofMillis(100));

        Set<SessionKey> lost = locks.refreshAll(Map.of(first, firstOwner, second, secondOwner), Duration.ofMillis(1500));
        pause(Duration.ofMillis(500));

        assertEquals(Set.of(), lost);
        assertEquals(Optional.of(firstOwner), locks.owner(first));
        assertEquals(Optional.of(secondOwner), locks.owner(second));
    }

    @Test
    void refreshAll_reportsKeysNoLongerHeld() {
        SessionOwner owner = newOwner();
        SessionOwner thief = newOwner();
        SessionKey stillHeld = newKey();
        SessionKey takenOver = newKey();
        SessionKey expired = newKey();
        SessionKey neverHeld = newKey();
        locks.acquire(stillHeld, owner, LONG_TTL);
        locks.acquire(takenOver, owner, LONG_TTL);
        locks.takeOver(takenOver, owner, thief, LONG_TTL);
        locks.acquire(expired, owner, SHORT_TTL);
        pause(PAST_SHORT_TTL);

        Set<SessionKey> lost = locks.refreshAll(
                Map.of(stillHeld, owner, takenOver, owner, expired, owner, neverHeld, owner), LONG_TTL);

        assertEquals(Set.of(takenOver, expired, neverHeld), lost);
        assertEquals(Optional.of(owner), locks.owner(stillHeld));
        assertEquals(Optional.of(thief), locks.owner(takenOver), "refreshAll must not take a lock back");
        assertEquals(Optional.empty(), locks.owner(expired), "refreshAll must not revive an expired lock");
        assertEquals(Optional.empty(), locks.owner(neverHeld));
    }

    @Test
    void refreshAll_withShortTtl_letsLocksExpire() {
        SessionKey key = newKey();
        SessionOwner owner = newOwner();
        locks.acquire(key, owner, LONG_TTL);

        assertEquals(Set.of(), locks.refreshAll(Map.of(key, owner), SHORT_TTL));
        pause(PAST_SHORT_TTL);

        assertEquals(Optional.empty(), locks.owner(key));
    }

    @Test
    void refreshAll_ofNoLocks_returnsEmptySet() {
        assertEquals(Set.of(), locks.refreshAll(Map.of(), LONG_TTL));
    }

    // release

    @Test
    void release_byOwner_freesLockForOthers() {
        SessionKey key = newKey();
        SessionOwner owner = newOwner();
        locks.acquire(key, owner, LONG_TTL);

        assertTrue(locks.release(key, owner));

        assertEquals(Optional.empty(), locks.owner(key));
        assertEquals(new Acquisition.Acquired(), locks.acquire(key, newOwner(), LONG_TTL));
    }

    @Test
    void release_byNonOwner_keepsLock() {
        SessionKey key = newKey();
        SessionOwner owner = newOwner();
        locks.acquire(key, owner, LONG_TTL);

        assertFalse(locks.release(key, newOwner()));
        assertEquals(Optional.of(owner), locks.owner(key));
    }

    @Test
    void release_twice_failsTheSecondTime() {
        SessionKey key = newKey();
        SessionOwner owner = newOwner();
        locks.acquire(key, owner, LONG_TTL);

        assertTrue(locks.release(key, owner));
        assertFalse(locks.release(key, owner));
    }

    @Test
    void release_ofFreeLock_fails() {
        assertFalse(locks.release(newKey(), newOwner()));
    }

    @Test
    void release_ofExpiredLock_failsAndSparesTheNextOwner() {
        SessionKey key = newKey();
        SessionOwner expired = newOwner();
        locks.acquire(key, expired, SHORT_TTL);
        pause(PAST_SHORT_TTL);

        assertFalse(locks.release(key, expired));

        SessionOwner next = newOwner();
        locks.acquire(key, next, LONG_TTL);
        assertFalse(locks.release(key, expired));
        assertEquals(Optional.of(next), locks.owner(key));
    }

    // owner

    @Test
    void owner_ofFreeLock_isEmpty() {
        assertEquals(Optional.empty(), locks.owner(newKey()));
    }

    // TTL validation

    @Test
    void nonPositiveTtl_isRejectedAndChangesNothing() {
        SessionKey free = newKey();
        SessionKey held = newKey();
        SessionOwner owner = newOwner();
        locks.acquire(held, owner, LONG_TTL);

        assertThrows(IllegalArgumentException.class, () -> locks.acquire(free, owner, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> locks.acquire(free, owner, Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> locks.takeOver(held, owner, newOwner(), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> locks.refresh(held, owner, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> locks.refreshAll(Map.of(held, owner), Duration.ZERO));

        assertEquals(Optional.empty(), locks.owner(free));
        assertEquals(Optional.of(owner), locks.owner(held));
    }

    private static SessionKey newKey() {
        return new SessionKey("session:" + unique("company") + ":agent:" + unique("user"));
    }

    private static SessionOwner newOwner() {
        return new SessionOwner(new PodId(unique("pod")), new ConnectionId(unique("conn")));
    }
}
