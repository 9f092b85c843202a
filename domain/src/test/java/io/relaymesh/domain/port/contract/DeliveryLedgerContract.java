package io.relaymesh.domain.port.contract;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.DeliveryLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What every {@link DeliveryLedger} must do; run against the in-memory and the Redis adapter. */
public abstract class DeliveryLedgerContract {
    private DeliveryLedger ledger;

    protected abstract DeliveryLedger createLedger();

    @BeforeEach
    void setUp() {
        ledger = createLedger();
    }

    private static String newEventId() {
        return "evt-" + UUID.randomUUID();
    }

    @Test
    void unknownEvent_hasNoPodsRecorded() {
        assertEquals(Set.of(), ledger.taken(newEventId()));
    }

    @Test
    void records_accumulateAcrossCalls() {
        String id = newEventId();
        ledger.recordTaken(id, Set.of(new PodId("pod-a")), Duration.ofMinutes(1));
        ledger.recordTaken(id, Set.of(new PodId("pod-b"), new PodId("pod-c")), Duration.ofMinutes(1));
        assertEquals(Set.of(new PodId("pod-a"), new PodId("pod-b"), new PodId("pod-c")), ledger.taken(id));
    }

    @Test
    void records_ofOneEvent_doNotLeakIntoAnother() {
        String first = newEventId();
        ledger.recordTaken(first, Set.of(new PodId("pod-a")), Duration.ofMinutes(1));
        assertEquals(Set.of(), ledger.taken(newEventId()));
    }

    @Test
    void record_expiresAfterItsTtl() throws InterruptedException {
        String id = newEventId();
        ledger.recordTaken(id, Set.of(new PodId("pod-a")), Duration.ofMillis(300));
        Thread.sleep(600);
        assertEquals(Set.of(), ledger.taken(id));
    }
}
