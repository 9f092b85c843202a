package io.relaymesh.application.admin;

import io.relaymesh.application.fakes.Cluster;
import io.relaymesh.domain.model.Listing;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.RouteCatalog.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class RouteOverviewTest {
    private static final Duration TTL = Duration.ofMinutes(5);

    private final Cluster cluster = new Cluster();
    private final PodId a = cluster.pod("pod-a").id;
    private final PodId b = cluster.pod("pod-b").id;
    private final RouteOverview overview = new RouteOverview(cluster.routes, cluster.pods);

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    @Test
    void list_filtersByKeyText_caseInsensitively_withThePodsOfEachKey() {
        cluster.routes.register(RouteKey.agent("acme", "support"), a, TTL);
        cluster.routes.register(RouteKey.agent("acme", "support"), b, TTL);
        cluster.routes.register(RouteKey.chat("acme", "support", "chat-9"), b, TTL);
        cluster.routes.register(RouteKey.agent("globex", "sales"), a, TTL);

        Listing<Route> listing = overview.list("ACME", 10);

        assertEquals(List.of(new Route(RouteKey.agent("acme", "support"), Set.of(a, b)),
                new Route(RouteKey.chat("acme", "support", "chat-9"), Set.of(b))), listing.items());
        assertEquals(2, listing.total());
        assertFalse(listing.truncated());
        assertEquals(1, overview.list("chat:", 10).total());
        assertEquals(3, overview.list("", 10).total());
    }

    @Test
    void podsWithoutAHeartbeat_areLeftOut_andKeysHeldOnlyByThem() {
        PodId dead = new PodId("pod-dead");
        cluster.routes.register(RouteKey.agent("acme", "support"), a, TTL);
        cluster.routes.register(RouteKey.agent("acme", "support"), dead, TTL);
        cluster.routes.register(RouteKey.agent("acme", "ghost"), dead, TTL);

        Listing<Route> listing = overview.list("acme", 10);

        assertEquals(List.of(new Route(RouteKey.agent("acme", "support"), Set.of(a))), listing.items());
        assertEquals(1, listing.total());
    }
}
