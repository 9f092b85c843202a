package io.relaymesh.domain.port.contract;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.RouteRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static io.relaymesh.domain.port.contract.Fixtures.LONG_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.PAST_SHORT_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.SHORT_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.pause;
import static io.relaymesh.domain.port.contract.Fixtures.race;
import static io.relaymesh.domain.port.contract.Fixtures.unique;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What every {@link RouteRegistry} adapter must do. Beyond the port's javadoc it pins down: register
 * and refresh set a membership's expiry to now + ttl (they may shorten it); refresh re-adds a
 * membership that lapsed (a pod refreshes only keys it still serves, so a missed tick heals instead
 * of losing routes for good) and leaves other pods' memberships alone; lookup answers a snapshot;
 * a non-positive TTL is a programming error ({@link IllegalArgumentException}).
 */
public abstract class RouteRegistryContract {

    private RouteRegistry registry;

    /** A fresh adapter; adapters backed by a shared store may share it, since every test uses its own keys. */
    protected abstract RouteRegistry createRegistry();

    @BeforeEach
    void createAdapter() {
        registry = createRegistry();
    }

    // register and lookup

    @Test
    void register_thenLookup_findsPod() {
        RouteKey key = newKey();
        PodId pod = newPod();

        registry.register(key, pod, LONG_TTL);

        assertEquals(Map.of(key, Set.of(pod)), registry.lookup(List.of(key)));
    }

    @Test
    void register_manyPodsUnderOneKey_lookupFindsAll() {
        RouteKey key = newKey();
        PodId first = newPod();
        PodId second = newPod();
        PodId third = newPod();

        registry.register(key, first, LONG_TTL);
        registry.register(key, second, LONG_TTL);
        registry.register(key, third, LONG_TTL);

        assertEquals(Set.of(first, second, third), podsOf(key));
    }

    @Test
    void register_again_extendsMembershipPastFirstTtl() {
        RouteKey key = newKey();
        PodId pod = newPod();
        registry.register(key, pod, Duration.ofMillis(400));
        pause(Duration.ofMillis(100));

        registry.register(key, pod, Duration.ofMillis(1500));
        pause(Duration.ofMillis(500));

        assertEquals(Set.of(pod), podsOf(key));
    }

    @Test
    void concurrentRegistrations_onOneKey_areAllKept() {
        RouteKey key = newKey();
        List<PodId> pods = IntStream.range(0, 16).mapToObj(i -> newPod()).toList();

        race(pods.size(), i -> {
            registry.register(key, pods.get(i), LONG_TTL);
            return i;
        });

        assertEquals(Set.copyOf(pods), podsOf(key));
    }

    @Test
    void lookup_ignoresExpiredMembers() {
        RouteKey key = newKey();
        PodId lapsing = newPod();
        PodId staying = newPod();
        registry.register(key, lapsing, SHORT_TTL);
        registry.register(key, staying, LONG_TTL);
        assertEquals(Set.of(lapsing, staying), podsOf(key));

        pause(PAST_SHORT_TTL);

        assertEquals(Set.of(staying), podsOf(key));
    }

    @Test
    void lookup_manyKeys_returnsEmptySetForUnknownKeys() {
        RouteKey agentKey = newKey();
        RouteKey chatKey = RouteKey.chat(unique("company"), "agent", unique("chat"));
        RouteKey unknown = newKey();
        RouteKey unknownAdmin = RouteKey.admin(unique("company"), "");
        PodId first = newPod();
        PodId second = newPod();
        registry.register(agentKey, first, LONG_TTL);
        registry.register(chatKey, first, LONG_TTL);
        registry.register(chatKey, second, LONG_TTL);

        Map<RouteKey, Set<PodId>> found = registry.lookup(List.of(agentKey, unknown, chatKey, unknownAdmin));

        assertEquals(Map.of(agentKey, Set.of(first), chatKey, Set.of(first, second), unknown, Set.of(),
                unknownAdmin, Set.of()), found);
    }

    @Test
    void lookup_ofNoKeys_returnsEmptyMap() {
        assertEquals(Map.of(), registry.lookup(List.of()));
    }

    @Test
    void lookup_returnsSnapshotUnaffectedByLaterChanges() {
        RouteKey key = newKey();
        PodId first = newPod();
        registry.register(key, first, LONG_TTL);

        Map<RouteKey, Set<PodId>> before = registry.lookup(List.of(key));
        registry.register(key, newPod(), LONG_TTL);
        registry.unregister(key, first);

        assertEquals(Map.of(key, Set.of(first)), before);
    }

    // unregister

    @Test
    void unregister_removesOnlyThatPod() {
        RouteKey key = newKey();
        RouteKey otherKey = newKey();
        PodId leaving = newPod();
        PodId staying = newPod();
        registry.register(key, leaving, LONG_TTL);
        registry.register(key, staying, LONG_TTL);
        registry.register(otherKey, leaving, LONG_TTL);

        registry.unregister(key, leaving);

        assertEquals(Map.of(key, Set.of(staying), otherKey, Set.of(leaving)), registry.lookup(List.of(key, otherKey)));
    }

    @Test
    void unregister_lastPod_leavesKeyWithEmptySet() {
        RouteKey key = newKey();
        PodId pod = newPod();
        registry.register(key, pod, LONG_TTL);

        registry.unregister(key, pod);

        assertEquals(Map.of(key, Set.of()), registry.lookup(List.of(key)));
    }

    @Test
    void unregister_unknownMembership_isHarmless() {
        RouteKey key = newKey();
        PodId member = newPod();
        registry.register(key, member, LONG_TTL);

        assertDoesNotThrow(() -> registry.unregister(key, newPod()));
        assertDoesNotThrow(() -> registry.unregister(newKey(), member));

        assertEquals(Set.of(member), podsOf(key));
    }

    // refresh

    @Test
    void refresh_extendsEveryKeyOfThatPod() {
        RouteKey first = newKey();
        RouteKey second = newKey();
        PodId pod = newPod();
        registry.register(first, pod, Duration.ofMillis(400));
        registry.register(second, pod, Duration.ofMillis(400));
        pause(Duration.ofMillis(100));

        registry.refresh(List.of(first, second), pod, Duration.ofMillis(1500));
        pause(Duration.ofMillis(500));

        assertEquals(Map.of(first, Set.of(pod), second, Set.of(pod)), registry.lookup(List.of(first, second)));
    }

    @Test
    void refresh_leavesOtherPodsToExpire() {
        RouteKey key = newKey();
        PodId refreshing = newPod();
        PodId silent = newPod();
        registry.register(key, refreshing, SHORT_TTL);
        registry.register(key, silent, SHORT_TTL);

        registry.refresh(List.of(key), refreshing, LONG_TTL);
        pause(PAST_SHORT_TTL);

        assertEquals(Set.of(refreshing), podsOf(key));
    }

    @Test
    void refresh_restoresMembershipThatLapsed() {
        RouteKey lapsed = newKey();
        RouteKey neverRegistered = newKey();
        PodId pod = newPod();
        registry.register(lapsed, pod, SHORT_TTL);
        pause(PAST_SHORT_TTL);
        assertEquals(Set.of(), podsOf(lapsed));

        registry.refresh(List.of(lapsed, neverRegistered), pod, LONG_TTL);

        assertEquals(Map.of(lapsed, Set.of(pod), neverRegistered, Set.of(pod)),
                registry.lookup(List.of(lapsed, neverRegistered)));
    }

    @Test
    void refresh_withShortTtl_letsMembershipExpire() {
        RouteKey key = newKey();
        PodId pod = newPod();
        registry.register(key, pod, LONG_TTL);

        registry.refresh(List.of(key), pod, SHORT_TTL);
        pause(PAST_SHORT_TTL);

        assertEquals(Set.of(), podsOf(key));
    }

    @Test
    void refresh_ofNoKeys_isHarmless() {
        assertDoesNotThrow(() -> registry.refresh(List.of(), newPod(), LONG_TTL));
    }

    // TTL validation

    @Test
    void nonPositiveTtl_isRejectedAndChangesNothing() {
        RouteKey key = newKey();
        PodId member = newPod();
        PodId stranger = newPod();
        registry.register(key, member, LONG_TTL);

        assertThrows(IllegalArgumentException.class, () -> registry.register(key, stranger, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> registry.register(key, stranger, Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> registry.refresh(List.of(key), member, Duration.ZERO));

        assertEquals(Set.of(member), podsOf(key));
    }

    private Set<PodId> podsOf(RouteKey key) {
        Map<RouteKey, Set<PodId>> found = registry.lookup(List.of(key));
        assertEquals(Set.of(key), found.keySet(), "lookup must answer exactly the keys asked for");
        return found.get(key);
    }

    private static RouteKey newKey() {
        return RouteKey.agent(unique("company"), unique("agent"));
    }

    private static PodId newPod() {
        return new PodId(unique("pod"));
    }
}
