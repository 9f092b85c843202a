package io.relaymesh.application.connection;

import io.relaymesh.application.settings.GatewaySettings;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.port.RouteRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The sessions held on this pod, indexed by session key and by route key, and this pod's
 * membership in the cluster route registry: a key is registered when its first local session
 * joins and unregistered when its last one leaves. Thread-safe.
 */
public final class ConnectionHub {
    private final PodId self;
    private final RouteRegistry registry;
    private final Supplier<GatewaySettings> settings;
    private final ConcurrentHashMap<SessionKey, LocalSession> bySession = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<RouteKey, Set<LocalSession>> byRoute = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<RouteKey, Long> routeActivity = new ConcurrentHashMap<>();
    /** Registrations of route keys still on their way to the registry, by the key's first joiner. */
    private final ConcurrentHashMap<RouteKey, CompletableFuture<Void>> registering = new ConcurrentHashMap<>();

    /** Told when a session joins or leaves a route key (presence and peer rooms need it). */
    public interface MembershipListener {
        void joined(LocalSession session, RouteKey key);

        void left(LocalSession session, RouteKey key);
    }

    private final java.util.List<MembershipListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Adds a listener for joins and leaves; called on the joining or leaving thread, must not block. */
    public void addListener(MembershipListener listener) {
        listeners.add(listener);
    }

    public ConnectionHub(PodId self, RouteRegistry registry, Supplier<GatewaySettings> settings) {
        this.self = self;
        this.registry = registry;
        this.settings = settings;
    }

    public PodId self() {
        return self;
    }

    /** Records {@code session} as the local holder of its session key. */
    void add(LocalSession session) {
        bySession.put(session.principal().sessionKey(), session);
    }

    /** Forgets {@code session} (only if it is still the holder of its key). */
    void remove(LocalSession session) {
        bySession.remove(session.principal().sessionKey(), session);
    }

    /** The local session holding {@code key}, if any. */
    public Optional<LocalSession> bySessionKey(SessionKey key) {
        return Optional.ofNullable(bySession.get(key));
    }

    /**
     * Adds {@code session} to {@code key}; registers this pod for the key when it is the first.
     * A session that joins while the first one's registration is still on its way to the registry
     * returns only once that registration is done; if it failed (now, or earlier while the failed
     * session was still a member), the joiner registers the key itself. So when any joiner returns,
     * the key routes to this pod: the gateway says ready right after.
     *
     * @return whether this pod was registered for the key (its first local session)
     * @throws RuntimeException when the registry cannot be written
     */
    public boolean join(LocalSession session, RouteKey key) {
        boolean[] first = {false};
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] registration = new CompletableFuture[1];
        byRoute.compute(key, (k, members) -> {
            Set<LocalSession> set = members == null ? ConcurrentHashMap.newKeySet() : members;
            first[0] = set.isEmpty();
            set.add(session);
            if (first[0]) {
                registration[0] = new CompletableFuture<>();
                registering.put(key, registration[0]);
            } else {
                registration[0] = registering.get(key);
            }
            return set;
        });
        routeActivity.put(key, System.nanoTime());
        session.addJoined(key);
        listeners.forEach(l -> l.joined(session, key));
        if (first[0]) {
            try {
                registry.register(key, self, settings.get().initialRouteTtl());
            } catch (RuntimeException e) {
                // Left in place, failed: a session that joins later registers the key itself.
                registration[0].completeExceptionally(e);
                throw e;
            }
            registration[0].complete(null);
            registering.remove(key, registration[0]);
            return true;
        }
        if (registration[0] != null) {
            try {
                registration[0].join();
            } catch (CompletionException | CancellationException e) {
                // The key's registration failed: try again for this session.
                registry.register(key, self, settings.get().initialRouteTtl());
                registering.remove(key, registration[0]);
            }
        }
        return false;
    }

    /** Removes {@code session} from {@code key}; unregisters this pod when it was the last. */
    public void leave(LocalSession session, RouteKey key) {
        session.removeJoined(key);
        listeners.forEach(l -> l.left(session, key));
        boolean[] last = {false};
        byRoute.computeIfPresent(key, (k, members) -> {
            members.remove(session);
            last[0] = members.isEmpty();
            if (last[0]) {
                registering.remove(k); // a failed registration no session is left to retry
            }
            return members.isEmpty() ? null : members;
        });
        if (last[0]) {
            routeActivity.remove(key);
            registry.unregister(key, self);
            // A session may have joined between our removal and the unregister: keep it routable.
            if (byRoute.containsKey(key)) {
                registry.register(key, self, settings.get().initialRouteTtl());
            }
        }
    }

    /** Local sessions registered under {@code key}. */
    public Collection<LocalSession> members(RouteKey key) {
        Set<LocalSession> members = byRoute.get(key);
        return members == null ? List.of() : members;
    }

    /** Every local session. */
    public Collection<LocalSession> sessions() {
        return bySession.values();
    }

    /** Route keys with at least one local session, for the periodic refresh. */
    public Set<RouteKey> routeKeys() {
        return Set.copyOf(byRoute.keySet());
    }

    /** How many route keys have at least one local session (without copying them). */
    public int routeKeyCount() {
        return byRoute.size();
    }

    /** Records that an event went to {@code key}'s connections, for adaptive route TTLs. */
    public void touch(RouteKey key) {
        routeActivity.computeIfPresent(key, (k, v) -> System.nanoTime());
    }

    /**
     * Extends this pod's membership of every local route key: one batch, or two when adaptive TTL
     * splits them into active (longer TTL) and idle (shorter TTL) keys.
     *
     * @return false when a batch failed (it is retried on the next tick)
     */
    public boolean refreshRoutes() {
        Set<RouteKey> keys = routeKeys();
        if (keys.isEmpty()) {
            return true;
        }
        boolean[] ok = {true};
        GatewaySettings s = settings.get();
        Map<Duration, List<RouteKey>> byTtl = new HashMap<>();
        long now = System.nanoTime();
        for (RouteKey key : keys) {
            long last = routeActivity.getOrDefault(key, now);
            byTtl.computeIfAbsent(s.routeAdaptive().ttl(s.routeTtl(), last, now), t -> new ArrayList<>()).add(key);
        }
        byTtl.forEach((ttl, batch) -> {
            try {
                registry.refresh(batch, self, ttl);
            } catch (RuntimeException e) {
                ok[0] = false;
                java.util.logging.Logger.getLogger(ConnectionHub.class.getName()).log(java.util.logging.Level.WARNING,
                        "route refresh of " + batch.size() + " keys failed; will retry next tick", e);
            }
        });
        return ok[0];
    }

    public int size() {
        return bySession.size();
    }
}
