package io.relaymesh.adapters.memory;

import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.EventHistory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class InMemoryEventLogTest {
    private static final RouteKey A = RouteKey.of("agent", "c", "a");
    private static final RouteKey B = RouteKey.of("agent", "c", "b");

    private static Envelope event(String id, RouteKey... keys) {
        return new Envelope(id, List.of(keys), "{}".getBytes(), Map.of(), 0);
    }

    private static List<String> ids(EventHistory.Replay replay) {
        return assertInstanceOf(EventHistory.Replay.Recovered.class, replay).events().stream().map(Envelope::id).toList();
    }

    @Test
    void positionsGrowInPublishOrder_andAReplayGivesTheKeysEventsAfterOne() {
        InMemoryEventLog log = new InMemoryEventLog(100, "ep");
        assertEquals("ep:1", log.append(event("1", A)).position());
        log.append(event("2", B));
        log.append(event("3", A, B));
        log.append(event("4", A));
        assertEquals(List.of("3", "4"), ids(log.after(List.of(A), "ep:1", 10)));
        assertEquals(List.of("2", "3", "4"), ids(log.after(List.of(A, B), "ep:1", 10)), "each once, in order");
        assertEquals(List.of(), ids(log.after(List.of(A), "ep:4", 10)));
    }

    @Test
    void eventsDroppedForCapacity_makeAGap_evenForAKeyThatCameBack() {
        InMemoryEventLog log = new InMemoryEventLog(2, "ep");
        log.append(event("1", A));
        log.append(event("2", B));
        log.append(event("3", B));
        log.append(event("4", B)); // A's only event is gone, and its ring with it
        assertInstanceOf(EventHistory.Replay.Gap.class, log.after(List.of(A), "ep:0", 10));
        log.append(event("5", A));
        assertInstanceOf(EventHistory.Replay.Gap.class, log.after(List.of(A), "ep:0", 10),
                "A lost event 1: a new event of A does not hide it");
        assertEquals(List.of("5"), ids(log.after(List.of(A), "ep:4", 10)), "nothing of A was lost after 4");
        assertInstanceOf(EventHistory.Replay.Gap.class, log.after(List.of(B), "ep:1", 10), "B lost event 2");
    }

    @Test
    void otherEpochs_unknownPositions_andTooManyEvents_areGaps() {
        InMemoryEventLog log = new InMemoryEventLog(100, "ep");
        for (int i = 1; i <= 5; i++) {
            log.append(event(String.valueOf(i), A));
        }
        assertInstanceOf(EventHistory.Replay.Gap.class, log.after(List.of(A), "old:1", 10));
        assertInstanceOf(EventHistory.Replay.Gap.class, log.after(List.of(A), "ep:6", 10));
        assertInstanceOf(EventHistory.Replay.Gap.class, log.after(List.of(A), "ep:x", 10));
        assertInstanceOf(EventHistory.Replay.Gap.class, log.after(List.of(A), "ep:0", 4));
        assertEquals(5, ids(log.after(List.of(A), "ep:0", 5)).size());
    }

    @Test
    void aNewLogHasANewEpoch_andCapacityZeroKeepsNothing() {
        assertNotEquals(new InMemoryEventLog(1).epoch(), new InMemoryEventLog(1).epoch());
        InMemoryEventLog none = new InMemoryEventLog(0, "ep");
        none.append(event("1", A));
        assertInstanceOf(EventHistory.Replay.Gap.class, none.after(List.of(A), "ep:0", 10));
        assertEquals(List.of(), ids(none.after(List.of(A), "ep:1", 10)));
    }
}
