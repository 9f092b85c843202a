package io.relaymesh.application.stats;

import io.relaymesh.application.fakes.Cluster;
import io.relaymesh.application.fakes.Pod;
import io.relaymesh.application.fakes.Principals;
import io.relaymesh.domain.model.PodStats;
import io.relaymesh.domain.model.RouteKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PodStatsReporterTest {
    private final Cluster cluster = new Cluster();
    private final Pod pod = cluster.pod("pod-a");
    private final PodActivity activity = new PodActivity();
    private final PodStatsReporter reporter = new PodStatsReporter(pod.hub, activity, cluster.statsBoard, cluster.clock);

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    @Test
    void publish_postsSessionsRouteKeysAndAddress_forTheBoardToAnswer() {
        pod.open(Principals.user("acme", "a1", "alice"));
        pod.open(Principals.user("acme", "a1", "bob"));
        pod.open(Principals.user("acme", "a2", "carol"));
        pod.open(Principals.admin("ops", "acme", "", ""));
        long started = cluster.clock.millis();
        cluster.clock.advance(Duration.ofSeconds(1));

        PodStats posted = reporter.publish("10.0.0.5:50051");

        assertEquals(posted, cluster.statsBoard.read(List.of(pod.id)).get(pod.id));
        assertEquals(3, posted.userSessions());
        assertEquals(1, posted.adminSessions());
        assertEquals(4, posted.connections());
        assertEquals(3, posted.routeKeys(), "agent:acme:a1, agent:acme:a2, admin:acme:*");
        assertEquals("10.0.0.5:50051", posted.grpcAddress());
        assertEquals(started, posted.startedAtMillis());
        assertEquals(started + 1_000, posted.updatedAtMillis());
    }

    @Test
    void closedSessions_doNotCount() {
        var session = pod.open(Principals.user("acme", "a1", "alice"));
        pod.gateway.closed(session);

        PodStats posted = reporter.publish("");

        assertEquals(0, posted.connections());
        assertEquals(0, posted.routeKeys());
    }

    @Test
    void rates_areOverTheLastTenSeconds_andTotalsSinceStart() {
        for (int second = 0; second < 20; second++) {
            cluster.clock.advance(Duration.ofSeconds(1));
            // 5 events, 10 frames and 2 forwards in each of the first 10 s, nothing after.
            if (second < 10) {
                for (int i = 0; i < 5; i++) {
                    activity.eventHandled();
                }
                for (int i = 0; i < 10; i++) {
                    activity.frameWritten();
                    activity.latency(3);
                }
                activity.forwarded(2);
                activity.dropped();
            }
            PodStats posted = reporter.publish("");
            if (second == 9) {
                assertEquals(5.0, posted.eventsPerSecond());
                assertEquals(10.0, posted.framesPerSecond());
                assertEquals(2.0, posted.forwardedPerSecond());
                assertEquals(100, posted.latency().count());
                assertEquals(3.0, posted.latency().p99());
            }
        }
        PodStats quiet = reporter.publish("");

        assertEquals(0.0, quiet.eventsPerSecond(), "ten quiet seconds later the window is empty");
        assertEquals(0.0, quiet.framesPerSecond());
        assertEquals(0, quiet.latency().count());
        assertEquals(100, quiet.deliveredTotal());
        assertEquals(10, quiet.droppedTotal());
    }

    @Test
    void latencyMax_isTheLargestOfTheWindow_andLeavesWithIt() {
        cluster.clock.advance(Duration.ofSeconds(1));
        activity.frameWritten();
        activity.latency(250);
        assertEquals(250.0, reporter.publish("").latency().max());

        for (int second = 0; second < 10; second++) {
            cluster.clock.advance(Duration.ofSeconds(1));
            activity.frameWritten();
            activity.latency(4);
            reporter.publish("");
        }

        assertEquals(4.0, reporter.publish("").latency().max());
    }

    @Test
    void routeKeyCount_followsTheHub() {
        var session = pod.open(Principals.user("acme", "a1", "alice"));
        pod.gateway.handle(session, new io.relaymesh.application.connection.ClientMessage.SelectChat("chat-9"));

        assertEquals(2, reporter.publish("").routeKeys());
        assertEquals(List.of(RouteKey.agent("acme", "a1"), RouteKey.chat("acme", "a1", "chat-9")).size(),
                pod.hub.routeKeyCount());
    }
}
