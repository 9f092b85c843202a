package io.relaymesh.application.stats;

import io.relaymesh.application.connection.ConnectionHub;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.connection.Principal;
import io.relaymesh.domain.model.LatencySummary;
import io.relaymesh.domain.model.PodStats;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.PodStatsBoard;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Posts this pod's {@link PodStats} to the {@link PodStatsBoard}, once per {@link #INTERVAL} when
 * a scheduler calls {@link #publish}: sessions and route keys from the {@link ConnectionHub}, rates
 * and latency percentiles over the last {@link #WINDOW} from {@link PodActivity} samples (one per
 * call, kept in a ring of {@link #WINDOW} plus one), totals since start. A post lives
 * {@link #TTL}, so a pod that stops posting drops off the board within seconds. Thread-safe:
 * publishing is serialized; the hot path only touches {@link PodActivity}.
 */
public final class PodStatsReporter {
    /** How often a pod posts its stats. */
    public static final Duration INTERVAL = Duration.ofSeconds(1);
    /** How long a post lives: a few missed posts are tolerated before the pod shows no stats. */
    public static final Duration TTL = Duration.ofSeconds(5);
    /** The window of the rates and the latency percentiles. */
    public static final Duration WINDOW = Duration.ofSeconds(10);

    private final ConnectionHub hub;
    private final PodActivity activity;
    private final PodStatsBoard board;
    private final Clock clock;
    private final long startedAtMillis;
    private final ArrayDeque<PodActivity.Sample> samples = new ArrayDeque<>();

    public PodStatsReporter(ConnectionHub hub, PodActivity activity, PodStatsBoard board, Clock clock) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.activity = Objects.requireNonNull(activity, "activity");
        this.board = Objects.requireNonNull(board, "board");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startedAtMillis = clock.millis();
        // The first post then covers the time since start instead of nothing.
        samples.add(activity.sample(startedAtMillis));
    }

    /**
     * Takes a sample, computes the stats and posts them.
     *
     * @param grpcAddress where other pods reach this one; empty in standalone mode
     * @return the stats posted
     * @throws RuntimeException when the board cannot be reached (the sample is kept; the next call posts again)
     */
    public synchronized PodStats publish(String grpcAddress) {
        PodStats stats = current(grpcAddress);
        board.publish(stats, TTL);
        return stats;
    }

    /** Takes a sample and computes the stats without posting them. */
    synchronized PodStats current(String grpcAddress) {
        long now = clock.millis();
        PodActivity.Sample latest = activity.sample(now);
        samples.addLast(latest);
        // Keep the newest sample at least WINDOW old as the base, and nothing older.
        while (samples.size() > 2 && now - secondOldest().atMillis() >= WINDOW.toMillis()) {
            samples.removeFirst();
        }
        PodActivity.Sample base = samples.getFirst();
        double seconds = Math.max(0.001, (latest.atMillis() - base.atMillis()) / 1000.0);
        int users = 0;
        int admins = 0;
        for (LocalSession session : hub.sessions()) {
            if (session.isClosed()) {
                continue;
            }
            if (session.principal() instanceof Principal.Admin) {
                admins++;
            } else {
                users++;
            }
        }
        return new PodStats(hub.self(), grpcAddress, startedAtMillis, now, users, admins, hub.routeKeyCount(),
                rate(latest.events() - base.events(), seconds), rate(latest.frames() - base.frames(), seconds),
                rate(latest.forwarded() - base.forwarded(), seconds), latencyOver(base), latest.frames(),
                latest.dropped());
    }

    private PodActivity.Sample secondOldest() {
        var it = samples.iterator();
        it.next();
        return it.next();
    }

    /** Percentiles of the latencies recorded after {@code base}. */
    private LatencySummary latencyOver(PodActivity.Sample base) {
        long[] window = samples.getLast().latencyCounts().clone();
        for (int i = 0; i < window.length; i++) {
            window[i] -= base.latencyCounts()[i];
        }
        long max = 0;
        for (PodActivity.Sample sample : samples) {
            if (sample != base) {
                max = Math.max(max, sample.maxLatencySincePrevious());
            }
        }
        return LatencyHistogram.summarize(window, max);
    }

    /** Per second, rounded to two decimals (the dashboards show no more). */
    private static double rate(long delta, double seconds) {
        return Math.round(Math.max(0, delta) / seconds * 100) / 100.0;
    }
}
