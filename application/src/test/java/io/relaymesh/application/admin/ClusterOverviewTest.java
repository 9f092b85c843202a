package io.relaymesh.application.admin;

import io.relaymesh.application.fakes.Cluster;
import io.relaymesh.domain.model.LatencySummary;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.PodStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ClusterOverviewTest {
    private final Cluster cluster = new Cluster();
    private final PodId a = cluster.pod("pod-a").id;
    private final PodId b = cluster.pod("pod-b").id;
    private final ClusterOverview overview = new ClusterOverview(a, false, cluster.pods, cluster.statsBoard,
            cluster.clock);

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    @Test
    void view_listsEveryLivePodWithItsStats_andSumsThem() {
        PodStats statsA = stats(a, 19, 1, 11, 6.0, 20.0);
        PodStats statsB = stats(b, 10, 0, 6, 6.5, 20.125);
        cluster.statsBoard.publish(statsA, Duration.ofSeconds(5));
        cluster.statsBoard.publish(statsB, Duration.ofSeconds(5));

        ClusterOverview.View view = overview.view();

        assertFalse(view.standalone());
        assertEquals(a, view.answeredBy());
        assertEquals(cluster.clock.millis(), view.generatedAtMillis());
        assertEquals(List.of(new ClusterOverview.PodEntry(a, Optional.of(statsA)),
                new ClusterOverview.PodEntry(b, Optional.of(statsB))), view.pods());
        assertEquals(new ClusterOverview.Totals(2, 30, 17, 12.5, 40.13), view.totals());
    }

    @Test
    void aLivePodWithoutStats_isListedWithoutThem() {
        cluster.statsBoard.publish(stats(a, 1, 0, 1, 0, 0), Duration.ofSeconds(5));

        ClusterOverview.View view = overview.view();

        assertEquals(new ClusterOverview.PodEntry(b, Optional.empty()), view.pods().get(1));
        assertEquals(2, view.totals().pods());
        assertEquals(1, view.totals().connections());
    }

    @Test
    void aPodWhoseHeartbeatLapsed_isNotListed_evenWithStatsLeft() {
        cluster.statsBoard.publish(stats(b, 1, 0, 1, 0, 0), Duration.ofMinutes(10));
        cluster.pods.remove(b);

        assertEquals(List.of(a), overview.view().pods().stream().map(ClusterOverview.PodEntry::pod).toList());
    }

    private static PodStats stats(PodId pod, int users, int admins, int routeKeys, double events, double frames) {
        return new PodStats(pod, pod + ":50051", 1, 2, users, admins, routeKeys, events, frames, 0,
                LatencySummary.EMPTY, 0, 0);
    }
}
