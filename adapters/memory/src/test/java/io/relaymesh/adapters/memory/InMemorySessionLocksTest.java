package io.relaymesh.adapters.memory;

import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.SessionLocks;
import io.relaymesh.domain.port.SessionLocks.Acquisition;
import io.relaymesh.domain.port.contract.SessionLocksContract;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InMemorySessionLocksTest extends SessionLocksContract {
    private static final SessionOwner OWNER = new SessionOwner(new PodId("pod-a"), new ConnectionId("c1"));

    @Override
    protected SessionLocks createLocks() {
        return new InMemorySessionLocks();
    }

    @Test
    void expiry_followsTheInjectedClock() {
        ManualClock clock = new ManualClock();
        InMemorySessionLocks locks = new InMemorySessionLocks(clock);
        SessionKey key = new SessionKey("session:c:a:u");
        locks.acquire(key, OWNER, Duration.ofMinutes(1));

        clock.advance(Duration.ofSeconds(59));
        assertEquals(Optional.of(OWNER), locks.owner(key));

        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), locks.owner(key));
    }

    @Test
    void expiredLocks_areSweptFromMemoryByLaterWrites() {
        ManualClock clock = new ManualClock();
        InMemorySessionLocks locks = new InMemorySessionLocks(clock);
        for (int i = 0; i < 1_000; i++) {
            locks.acquire(new SessionKey("session:c:a:user" + i), OWNER, Duration.ofSeconds(1));
        }
        assertEquals(1_000, locks.storedCount());

        clock.advance(Sweeper.DEFAULT_INTERVAL.plusSeconds(1));
        SessionKey fresh = new SessionKey("session:c:a:fresh");
        assertEquals(new Acquisition.Acquired(), locks.acquire(fresh, OWNER, Duration.ofMinutes(1)));

        assertEquals(1, locks.storedCount());
        assertEquals(Optional.of(OWNER), locks.owner(fresh));
    }
}
