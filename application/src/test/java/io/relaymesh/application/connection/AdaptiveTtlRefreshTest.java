package io.relaymesh.application.connection;

import io.relaymesh.adapters.memory.InMemoryRouteRegistry;
import io.relaymesh.application.fakes.Cluster;
import io.relaymesh.application.fakes.Pod;
import io.relaymesh.application.fakes.Principals;
import io.relaymesh.application.fakes.TestSettings;
import io.relaymesh.application.settings.AdaptiveTtl;
import io.relaymesh.application.settings.GatewaySettings;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.RouteRegistry;
import io.relaymesh.domain.port.SessionLocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Adaptive TTL: active locks and routes are refreshed with the long TTL, idle ones with the short. */
class AdaptiveTtlRefreshTest {
    private static final Duration MIN = Duration.ofSeconds(15);
    private static final Duration MAX = Duration.ofSeconds(60);
    // 200 ms of inactivity makes a key idle, so a test can produce both kinds quickly.
    private static final AdaptiveTtl ADAPTIVE = new AdaptiveTtl(true, MIN, MAX, Duration.ofMillis(200));

    private final List<Duration> lockTtls = new ArrayList<>();
    private final Cluster cluster = new Cluster(locks -> new RecordingLocks(locks, lockTtls));

    @AfterEach
    void close() {
        cluster.close();
    }

    /** Session locks that record the TTL of every refreshAll batch. */
    private record RecordingLocks(SessionLocks delegate, List<Duration> ttls) implements SessionLocks {
        public Acquisition acquire(SessionKey key, SessionOwner owner, Duration ttl) {
            return delegate.acquire(key, owner, ttl);
        }

        public boolean takeOver(SessionKey key, SessionOwner expected, SessionOwner owner, Duration ttl) {
            return delegate.takeOver(key, expected, owner, ttl);
        }

        public boolean refresh(SessionKey key, SessionOwner owner, Duration ttl) {
            return delegate.refresh(key, owner, ttl);
        }

        public Set<SessionKey> refreshAll(Map<SessionKey, SessionOwner> held, Duration ttl) {
            synchronized (ttls) {
                for (int i = 0; i < held.size(); i++) {
                    ttls.add(ttl);
                }
            }
            return delegate.refreshAll(held, ttl);
        }

        public boolean release(SessionKey key, SessionOwner owner) {
            return delegate.release(key, owner);
        }

        public java.util.Optional<SessionOwner> owner(SessionKey key) {
            return delegate.owner(key);
        }
    }

    @Test
    void refresh_givesActiveSessionsTheLongTtl_andIdleOnesTheShort() throws InterruptedException {
        cluster.configure(TestSettings.adaptive(ADAPTIVE, AdaptiveTtl.off()));
        Pod pod = cluster.pod("pod-a");
        LocalSession busy = pod.open(Principals.user("c1", "a1", "busy"), cluster.connection());
        pod.open(Principals.user("c1", "a1", "quiet"), cluster.connection());
        Thread.sleep(300);
        pod.gateway.handle(busy, new ClientMessage.Ping());

        pod.gateway.refresh();

        assertEquals(List.of(MAX, MIN), lockTtls.stream().sorted().toList().reversed());
    }

    @Test
    void withAdaptiveTtlOff_everyLockGetsTheFixedTtl() throws InterruptedException {
        Pod pod = cluster.pod("pod-a");
        pod.open(Principals.user("c1", "a1", "one"), cluster.connection());
        pod.open(Principals.user("c1", "a1", "two"), cluster.connection());

        pod.gateway.refresh();

        Duration fixed = GatewaySettings.defaults().sessionTtl();
        assertEquals(List.of(fixed, fixed), lockTtls);
    }

    @Test
    void routeRefresh_splitsActiveAndIdleKeys() throws InterruptedException {
        List<Duration> routeTtls = new ArrayList<>();
        InMemoryRouteRegistry memory = new InMemoryRouteRegistry(cluster.clock);
        RouteRegistry recording = new RouteRegistry() {
            public void register(RouteKey key, PodId pod, Duration ttl) {
                memory.register(key, pod, ttl);
            }

            public void unregister(RouteKey key, PodId pod) {
                memory.unregister(key, pod);
            }

            public void refresh(Collection<RouteKey> keys, PodId pod, Duration ttl) {
                keys.forEach(k -> routeTtls.add(ttl));
                memory.refresh(keys, pod, ttl);
            }

            public Map<RouteKey, Set<PodId>> lookup(Collection<RouteKey> keys) {
                return memory.lookup(keys);
            }
        };
        Settings<GatewaySettings> settings = new Settings<>(
                TestSettings.adaptive(AdaptiveTtl.off(), ADAPTIVE).apply(GatewaySettings.defaults()));
        ConnectionHub hub = new ConnectionHub(new PodId("pod-a"), recording, settings);
        LocalSession one = new LocalSession(cluster.connection(), Principals.user("c1", "a1", "u1"),
                hub.self(), 0, new FrameRateLimiter(1, 0));
        hub.join(one, RouteKey.agent("c1", "a1"));
        hub.join(one, RouteKey.agent("c1", "a2"));
        Thread.sleep(300);
        hub.touch(RouteKey.agent("c1", "a1"));

        hub.refreshRoutes();

        assertEquals(List.of(MAX, MIN), routeTtls.stream().sorted().toList().reversed());
    }
}
