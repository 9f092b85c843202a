package io.relaymesh.adapters.memory;

import io.relaymesh.domain.model.LatencySummary;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.PodStats;
import io.relaymesh.domain.port.PodStatsBoard;
import io.relaymesh.domain.port.contract.PodStatsBoardContract;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InMemoryPodStatsBoardTest extends PodStatsBoardContract {

    @Override
    protected PodStatsBoard createBoard() {
        return new InMemoryPodStatsBoard();
    }

    @Test
    void expiry_followsTheInjectedClock() {
        ManualClock clock = new ManualClock();
        InMemoryPodStatsBoard board = new InMemoryPodStatsBoard(clock);
        PodStats stats = new PodStats(new PodId("pod-a"), "", 0, 0, 1, 0, 1, 0, 0, 0, LatencySummary.EMPTY, 0, 0);
        board.publish(stats, Duration.ofSeconds(5));

        clock.advance(Duration.ofMillis(4_999));
        assertEquals(Map.of(stats.pod(), stats), board.read(List.of(stats.pod())));

        clock.advance(Duration.ofMillis(1));
        assertEquals(Map.of(), board.read(List.of(stats.pod())));
    }
}
