package io.relaymesh.application.admin;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.PodStats;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.domain.port.PodStatsBoard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster as any pod sees it: the live pods of the {@link PodDirectory}, each with the stats
 * it posted on the {@link PodStatsBoard} (two round trips in cluster mode, whatever the number of
 * pods). A live pod without stats (just started, or failing to post) is listed without them.
 * Thread-safe (stateless).
 */
public final class ClusterOverview {

    /** One live pod and its stats, when it has posted some. */
    public record PodEntry(PodId pod, Optional<PodStats> stats) {
    }

    /** Sums over the pods; {@code routeKeys} sums each pod's keys (a key held by two pods counts twice). */
    public record Totals(int pods, long connections, long routeKeys, double eventsPerSecond, double framesPerSecond) {
    }

    /** The answer: which mode, who answered and when, the sums, and the pods in id order. */
    public record View(boolean standalone, PodId answeredBy, long generatedAtMillis, Totals totals,
                       List<PodEntry> pods) {
        public View {
            pods = List.copyOf(pods);
        }
    }

    private final PodId self;
    private final boolean standalone;
    private final PodDirectory directory;
    private final PodStatsBoard board;
    private final Clock clock;

    public ClusterOverview(PodId self, boolean standalone, PodDirectory directory, PodStatsBoard board, Clock clock) {
        this.self = self;
        this.standalone = standalone;
        this.directory = directory;
        this.board = board;
        this.clock = clock;
    }

    public View view() {
        Set<PodId> live = directory.livePods();
        Map<PodId, PodStats> stats = board.read(live);
        List<PodEntry> pods = new ArrayList<>();
        long connections = 0;
        long routeKeys = 0;
        double events = 0;
        double frames = 0;
        for (PodId pod : live.stream().sorted(Comparator.comparing(PodId::value)).toList()) {
            PodStats posted = stats.get(pod);
            pods.add(new PodEntry(pod, Optional.ofNullable(posted)));
            if (posted != null) {
                connections += posted.connections();
                routeKeys += posted.routeKeys();
                events += posted.eventsPerSecond();
                frames += posted.framesPerSecond();
            }
        }
        return new View(standalone, self, clock.millis(),
                new Totals(pods.size(), connections, routeKeys, round(events), round(frames)), pods);
    }

    private static double round(double rate) {
        return Math.round(rate * 100) / 100.0;
    }
}
