package io.relaymesh.application.admin;

import io.relaymesh.domain.model.Listing;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.domain.port.RouteCatalog;
import io.relaymesh.domain.port.RouteCatalog.Route;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists route keys cluster-wide for operators, with the pods holding each. Only live pods count: a
 * crashed pod's memberships stay in the registry until their TTL (minutes), but a pod without a
 * heartbeat is not shown (as delivery ignores it too). Thread-safe (stateless).
 */
public final class RouteOverview {
    private final RouteCatalog catalog;
    private final PodDirectory directory;

    public RouteOverview(RouteCatalog catalog, PodDirectory directory) {
        this.catalog = catalog;
        this.directory = directory;
    }

    /** Route keys containing {@code query} (case-insensitive; empty lists all), in key order, at most {@code limit}. */
    public Listing<Route> list(String query, int limit) {
        TextFilter filter = new TextFilter(query);
        Listing<Route> listed = catalog.list(key -> filter.matches(key.value()), limit);
        Set<PodId> live = directory.livePods();
        List<Route> routes = new ArrayList<>();
        for (Route route : listed.items()) {
            Set<PodId> pods = new HashSet<>(route.pods());
            pods.retainAll(live);
            if (!pods.isEmpty()) {
                routes.add(new Route(route.key(), pods));
            }
        }
        long dropped = listed.items().size() - routes.size();
        return new Listing<>(routes, Math.max(routes.size(), listed.total() - dropped), listed.truncated());
    }
}
