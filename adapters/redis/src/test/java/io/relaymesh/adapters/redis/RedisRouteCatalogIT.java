package io.relaymesh.adapters.redis;

import io.relaymesh.domain.model.Listing;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.RouteCatalog.Route;
import io.relaymesh.domain.port.contract.RouteCatalogContract;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(RealServices.class)
class RedisRouteCatalogIT extends RouteCatalogContract {
    private static RedisConnections redis;
    private static RedisClient raw;

    @BeforeAll
    static void connect(RedisServer server) {
        redis = TestRedis.connect(server, RedisRouteCatalogIT.class);
        raw = TestRedis.raw(server);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
        raw.close();
    }

    @Override
    protected Store createStore() {
        RedisRouteRegistry registry = new RedisRouteRegistry(redis);
        return new Store(registry, registry);
    }

    @Test
    void list_skipsKeysUnderTheRoutePrefixThatAreNotRouteKeys() {
        String company = "co-" + UUID.randomUUID().toString().substring(0, 8);
        // Any namespace is a route key's now; these are not (no segment, an upper-case namespace).
        raw.zadd(redis.settings().keyPrefix() + "route:bogus-" + company, Long.MAX_VALUE, "pod-x");
        raw.zadd(redis.settings().keyPrefix() + "route:Bogus:" + company, Long.MAX_VALUE, "pod-x");
        RedisRouteRegistry registry = new RedisRouteRegistry(redis);
        RouteKey real = RouteKey.agent(company, "agent");
        registry.register(real, new PodId("pod-a"), Duration.ofSeconds(30));

        Listing<Route> listing = registry.list(key -> key.value().contains(company), 10);

        assertEquals(List.of(new Route(real, Set.of(new PodId("pod-a")))), listing.items());
    }
}
