package io.relaymesh.domain.port.contract;

import io.relaymesh.domain.model.LatencySummary;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.PodStats;
import io.relaymesh.domain.port.PodStatsBoard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.relaymesh.domain.port.contract.Fixtures.LONG_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.PAST_SHORT_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.SHORT_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.pause;
import static io.relaymesh.domain.port.contract.Fixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What every {@link PodStatsBoard} adapter must do. Beyond the port's javadoc it pins down: stats
 * come back exactly as posted (every field, fractions included); a pod without stats is absent
 * from the answer rather than mapped to null; a non-positive TTL is a programming error
 * ({@link IllegalArgumentException}) and changes nothing.
 */
public abstract class PodStatsBoardContract {

    private PodStatsBoard board;

    /** A fresh adapter; adapters backed by a shared store may share it, since every test uses its own pods. */
    protected abstract PodStatsBoard createBoard();

    @BeforeEach
    void createAdapter() {
        board = createBoard();
    }

    @Test
    void publish_thenRead_returnsTheStatsUnchanged() {
        PodStats stats = statsOf(newPod(), 7);

        board.publish(stats, LONG_TTL);

        assertEquals(Map.of(stats.pod(), stats), board.read(List.of(stats.pod())));
    }

    @Test
    void statsWithoutAddressAndWithoutLatency_roundTrip() {
        PodStats standalone = new PodStats(newPod(), "", 1_000, 2_000, 0, 0, 0, 0, 0, 0, LatencySummary.EMPTY, 0, 0);

        board.publish(standalone, LONG_TTL);

        assertEquals(standalone, board.read(List.of(standalone.pod())).get(standalone.pod()));
    }

    @Test
    void read_manyPods_answersThoseWithStats_only() {
        List<PodId> pods = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            PodStats stats = statsOf(newPod(), i);
            board.publish(stats, LONG_TTL);
            pods.add(stats.pod());
        }
        PodId silent = newPod();
        pods.add(silent);

        Map<PodId, PodStats> read = board.read(pods);

        assertEquals(5, read.size(), read.toString());
        assertEquals(3, read.get(pods.get(3)).userSessions());
        assertEquals(null, read.get(silent));
    }

    @Test
    void read_noPods_isEmpty() {
        assertEquals(Map.of(), board.read(List.of()));
    }

    @Test
    void publish_again_replacesTheStats() {
        PodId pod = newPod();
        board.publish(statsOf(pod, 1), LONG_TTL);
        PodStats newer = statsOf(pod, 2);

        board.publish(newer, LONG_TTL);

        assertEquals(newer, board.read(List.of(pod)).get(pod));
    }

    @Test
    void stats_lapseAfterTheirTtl_whileOthersStay() {
        PodStats lapsing = statsOf(newPod(), 1);
        PodStats staying = statsOf(newPod(), 2);
        board.publish(lapsing, SHORT_TTL);
        board.publish(staying, LONG_TTL);

        pause(PAST_SHORT_TTL);

        assertEquals(Map.of(staying.pod(), staying), board.read(List.of(lapsing.pod(), staying.pod())));
    }

    @Test
    void publish_withNonPositiveTtl_isRejectedAndChangesNothing() {
        PodStats stats = statsOf(newPod(), 1);
        board.publish(stats, LONG_TTL);

        assertThrows(IllegalArgumentException.class, () -> board.publish(statsOf(stats.pod(), 9), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> board.publish(statsOf(stats.pod(), 9), Duration.ofMillis(-1)));

        assertEquals(stats, board.read(List.of(stats.pod())).get(stats.pod()));
    }

    /** Stats whose every field differs from the defaults and from those of another {@code n}. */
    private static PodStats statsOf(PodId pod, int n) {
        return new PodStats(pod, "10.0.0." + n + ":50051", 1_763_799_000_000L + n, 1_763_799_999_500L + n, n, 1,
                n + 10, 6.5 + n, 20.25 + n, 3.125, new LatencySummary(1.2, 4.0, 8.3, 12.0 + n, 200 + n), 1234 + n, n);
    }

    private static PodId newPod() {
        return new PodId(unique("pod"));
    }
}
