package io.relaymesh.adapters.memory;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.RouteRegistry;
import io.relaymesh.domain.port.contract.RouteRegistryContract;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InMemoryRouteRegistryTest extends RouteRegistryContract {
    private static final PodId POD = new PodId("pod-a");

    @Override
    protected RouteRegistry createRegistry() {
        return new InMemoryRouteRegistry();
    }

    @Test
    void expiry_followsTheInjectedClock() {
        ManualClock clock = new ManualClock();
        InMemoryRouteRegistry registry = new InMemoryRouteRegistry(clock);
        RouteKey key = RouteKey.agent("c", "a");
        registry.register(key, POD, Duration.ofMinutes(1));

        clock.advance(Duration.ofSeconds(59));
        assertEquals(Map.of(key, Set.of(POD)), registry.lookup(List.of(key)));

        clock.advance(Duration.ofSeconds(1));
        assertEquals(Map.of(key, Set.of()), registry.lookup(List.of(key)));
    }

    @Test
    void keysWhoseMembersAllExpired_areSweptFromMemoryByLaterWrites() {
        ManualClock clock = new ManualClock();
        InMemoryRouteRegistry registry = new InMemoryRouteRegistry(clock);
        for (int i = 0; i < 1_000; i++) {
            registry.register(RouteKey.chat("c", "a", "chat" + i), POD, Duration.ofSeconds(1));
        }
        assertEquals(1_000, registry.storedKeyCount());

        clock.advance(Sweeper.DEFAULT_INTERVAL.plusSeconds(1));
        RouteKey fresh = RouteKey.agent("c", "a");
        registry.register(fresh, POD, Duration.ofMinutes(1));

        assertEquals(1, registry.storedKeyCount());
        assertEquals(Map.of(fresh, Set.of(POD)), registry.lookup(List.of(fresh)));
    }

    @Test
    void unregister_ofLastMember_forgetsTheKey() {
        InMemoryRouteRegistry registry = new InMemoryRouteRegistry(new ManualClock());
        RouteKey key = RouteKey.agent("c", "a");
        registry.register(key, POD, Duration.ofMinutes(1));

        registry.unregister(key, POD);

        assertEquals(0, registry.storedKeyCount());
    }
}
