package io.relaymesh.domain.port.contract;

import io.relaymesh.domain.model.Listing;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.RouteCatalog;
import io.relaymesh.domain.port.RouteCatalog.Route;
import io.relaymesh.domain.port.RouteRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static io.relaymesh.domain.port.contract.Fixtures.LONG_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.PAST_SHORT_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.SHORT_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.pause;
import static io.relaymesh.domain.port.contract.Fixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link RouteCatalog} adapter must do, seen through the {@link RouteRegistry} of the
 * same store. Each test uses a company id of its own and lists only keys containing it, because a
 * store shared by parallel tests (one Redis) holds other tests' routes too.
 */
public abstract class RouteCatalogContract {

    /** The two faces of one route store. */
    public record Store(RouteRegistry registry, RouteCatalog catalog) {
    }

    private Store store;

    /** A fresh adapter; adapters backed by a shared store may share it, since every test uses its own keys. */
    protected abstract Store createStore();

    @BeforeEach
    void createAdapter() {
        store = createStore();
    }

    @Test
    void list_findsKeysWithTheirLivePods_inKeyOrder() {
        String company = unique("co");
        RouteKey agent = RouteKey.agent(company, "agent");
        RouteKey chat = RouteKey.chat(company, "agent", "chat-9");
        PodId a = newPod();
        PodId b = newPod();
        store.registry().register(chat, b, LONG_TTL);
        store.registry().register(agent, a, LONG_TTL);
        store.registry().register(agent, b, LONG_TTL);

        Listing<Route> listing = store.catalog().list(containing(company), 10);

        assertEquals(List.of(new Route(agent, Set.of(a, b)), new Route(chat, Set.of(b))), listing.items());
        assertEquals(2, listing.total());
        assertFalse(listing.truncated());
    }

    @Test
    void list_leavesOutUnregisteredAndExpiredMembers_andKeysLeftWithoutMembers() {
        String company = unique("co");
        RouteKey mixed = RouteKey.agent(company, "mixed");
        RouteKey lapsed = RouteKey.agent(company, "lapsed");
        RouteKey gone = RouteKey.agent(company, "gone");
        PodId staying = newPod();
        PodId expiring = newPod();
        PodId leaving = newPod();
        store.registry().register(mixed, staying, LONG_TTL);
        store.registry().register(mixed, expiring, SHORT_TTL);
        store.registry().register(mixed, leaving, LONG_TTL);
        store.registry().register(lapsed, expiring, SHORT_TTL);
        store.registry().register(gone, leaving, LONG_TTL);
        store.registry().unregister(mixed, leaving);
        store.registry().unregister(gone, leaving);

        pause(PAST_SHORT_TTL);

        Listing<Route> listing = store.catalog().list(containing(company), 10);
        assertEquals(List.of(new Route(mixed, Set.of(staying))), listing.items());
        assertEquals(1, listing.total());
    }

    @Test
    void list_keepsAtMostTheLimit_theFirstInKeyOrder_andCountsTheRest() {
        String company = unique("co");
        PodId pod = newPod();
        for (String agent : List.of("a3", "a1", "a5", "a2", "a4")) {
            store.registry().register(RouteKey.agent(company, agent), pod, LONG_TTL);
        }

        Listing<Route> listing = store.catalog().list(containing(company), 3);

        assertEquals(List.of(RouteKey.agent(company, "a1"), RouteKey.agent(company, "a2"), RouteKey.agent(company, "a3")),
                listing.items().stream().map(Route::key).toList());
        assertEquals(5, listing.total());
        assertTrue(listing.truncated());
    }

    @Test
    void list_whenNothingMatches_isEmpty() {
        store.registry().register(RouteKey.agent(unique("co"), "agent"), newPod(), LONG_TTL);

        Listing<Route> listing = store.catalog().list(containing(unique("nobody")), 10);

        assertEquals(List.of(), listing.items());
        assertEquals(0, listing.total());
        assertFalse(listing.truncated());
    }

    @Test
    void list_withNonPositiveLimit_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> store.catalog().list(key -> true, -1));
    }

    private static Predicate<RouteKey> containing(String text) {
        return key -> key.value().contains(text);
    }

    private static PodId newPod() {
        return new PodId(unique("pod"));
    }
}
