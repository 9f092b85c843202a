package io.relaymesh.application.connection;

import io.relaymesh.adapters.memory.InMemoryRouteRegistry;
import io.relaymesh.application.fakes.ManualClock;
import io.relaymesh.application.fakes.Principals;
import io.relaymesh.application.fakes.RecordingConnection;
import io.relaymesh.application.settings.GatewaySettings;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.RouteRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two sessions of one pod join the same route key at once: neither may return (and so be told
 * ready) before the key routes to the pod, or an event published right after ready misses them.
 */
class ConcurrentJoinTest {
    private static final PodId POD = new PodId("pod-a");
    private static final RouteKey KEY = RouteKey.agent("acme", "support");

    private final ManualClock clock = new ManualClock();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void aSecondJoiner_waitsForTheFirstJoinersRegistration() throws Exception {
        SlowRegistry registry = new SlowRegistry(new InMemoryRouteRegistry(clock), 0);
        ConnectionHub hub = new ConnectionHub(POD, registry, GatewaySettings::defaults);

        Future<Boolean> first = threads.submit(() -> hub.join(session("alice"), KEY));
        assertTrue(registry.entered.await(5, TimeUnit.SECONDS), "the first joiner is registering");
        Future<Boolean> second = threads.submit(() -> hub.join(session("bob"), KEY));

        assertThrows(TimeoutException.class, () -> second.get(300, TimeUnit.MILLISECONDS),
                "the second joiner returned while the key did not yet route to the pod");
        assertEquals(Set.of(), registry.lookup(Set.of(KEY)).get(KEY));

        registry.release.countDown();
        assertTrue(first.get(5, TimeUnit.SECONDS), "the first joiner registered the key");
        assertFalse(second.get(5, TimeUnit.SECONDS), "the second joiner did not register it again");
        assertEquals(Set.of(POD), registry.lookup(Set.of(KEY)).get(KEY));
        assertEquals(1, registry.registrations.get());
        assertEquals(2, hub.members(KEY).size());
    }

    @Test
    void whenTheFirstJoinersRegistrationFails_theSecondRegistersTheKeyItself() throws Exception {
        SlowRegistry registry = new SlowRegistry(new InMemoryRouteRegistry(clock), 1);
        ConnectionHub hub = new ConnectionHub(POD, registry, GatewaySettings::defaults);

        Future<Boolean> first = threads.submit(() -> hub.join(session("alice"), KEY));
        assertTrue(registry.entered.await(5, TimeUnit.SECONDS));
        Future<Boolean> second = threads.submit(() -> hub.join(session("bob"), KEY));
        registry.release.countDown();

        Exception failed = assertThrows(Exception.class, () -> first.get(5, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof IllegalStateException, failed.toString());
        assertFalse(second.get(5, TimeUnit.SECONDS));
        assertEquals(Set.of(POD), registry.lookup(Set.of(KEY)).get(KEY), "the second joiner is routable");
    }

    @Test
    void aSessionJoiningAfterAFailedRegistration_whileTheFailedSessionIsStillAMember_registersTheKey() {
        SlowRegistry registry = new SlowRegistry(new InMemoryRouteRegistry(clock), 1);
        registry.release.countDown(); // no waiting: the first registration just fails
        ConnectionHub hub = new ConnectionHub(POD, registry, GatewaySettings::defaults);
        LocalSession alice = session("alice");

        assertThrows(IllegalStateException.class, () -> hub.join(alice, KEY));
        // alice is still a member until the gateway's clean-up makes her leave
        assertFalse(hub.join(session("bob"), KEY));

        assertEquals(Set.of(POD), registry.lookup(Set.of(KEY)).get(KEY), "bob is routable");
        hub.leave(alice, KEY);
        assertEquals(Set.of(POD), registry.lookup(Set.of(KEY)).get(KEY), "and stays so after alice leaves");
    }

    private static LocalSession session(String user) {
        return new LocalSession(new RecordingConnection("conn-" + user), Principals.user("acme", "support", user),
                POD, 0, new FrameRateLimiter(10, System.nanoTime()));
    }

    /**
     * Holds the first registration until released (as a slow Redis would), failing the first
     * {@code failures} registrations once released.
     */
    private static final class SlowRegistry implements RouteRegistry {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger registrations = new AtomicInteger();
        private final AtomicInteger failures;
        private final RouteRegistry delegate;

        SlowRegistry(RouteRegistry delegate, int failures) {
            this.delegate = delegate;
            this.failures = new AtomicInteger(failures);
        }

        @Override
        public void register(RouteKey key, PodId pod, Duration ttl) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("registry unavailable");
            }
            registrations.incrementAndGet();
            delegate.register(key, pod, ttl);
        }

        @Override
        public void unregister(RouteKey key, PodId pod) {
            delegate.unregister(key, pod);
        }

        @Override
        public void refresh(Collection<RouteKey> keys, PodId pod, Duration ttl) {
            delegate.refresh(keys, pod, ttl);
        }

        @Override
        public Map<RouteKey, Set<PodId>> lookup(Collection<RouteKey> keys) {
            return delegate.lookup(keys);
        }
    }
}
