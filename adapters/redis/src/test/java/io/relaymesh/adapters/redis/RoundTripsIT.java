package io.relaymesh.adapters.redis;

import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.SessionLocks.Acquisition;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Round trips of the Redis side of a connection's life, as the gateway will call the ports, and of
 * one refresh tick; printed with a {@code [relaymesh-bench]} tag for the closing note, asserted so
 * that a regression fails.
 */
@ExtendWith(RealServices.class)
class RoundTripsIT {
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final PodId POD = new PodId("pod-bench");

    private static RedisConnections redis;
    private static RedisSessionLocks locks;
    private static RedisRouteRegistry routes;
    private static RedisTokenCache tokens;

    @BeforeAll
    static void connect(RedisServer server) {
        redis = TestRedis.connect(server, RoundTripsIT.class);
        locks = new RedisSessionLocks(redis);
        routes = new RedisRouteRegistry(redis);
        tokens = new RedisTokenCache(redis);
        // Each script's first call after a Redis start costs a NOSCRIPT round trip; pay them here.
        SessionKey warmUp = new SessionKey("session:warm:up:scripts");
        locks.release(warmUp, owner(0));
        locks.refresh(warmUp, owner(0), TTL);
        locks.refreshAll(Map.of(warmUp, owner(0)), TTL);
        routes.register(RouteKey.agent("warm", "up"), POD, TTL);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @Test
    void connectSelectChatAndDisconnect() {
        UserClaims claims = new UserClaims("acme", "agent", "u-rt", Instant.parse("2031-01-01T00:00:00Z"));
        SessionKey session = SessionKey.forUser(claims);
        SessionOwner owner = owner(1);
        RouteKey agentRoute = RouteKey.agent("acme", "agent");
        RouteKey chatRoute = RouteKey.chat("acme", "agent", "chat-1");

        long coldConnect = count(() -> {
            Optional<UserClaims> cached = tokens.get("hash-rt", UserClaims.class);
            tokens.put("hash-rt", claims, TTL);
            assertEquals(new Acquisition.Acquired(), locks.acquire(session, owner, TTL));
            routes.register(agentRoute, POD, TTL);
            return cached;
        });
        locks.release(session, owner);
        long warmConnect = count(() -> {
            tokens.get("hash-rt", UserClaims.class).orElseThrow();
            assertEquals(new Acquisition.Acquired(), locks.acquire(session, owner, TTL));
            routes.register(agentRoute, POD, TTL);
            return null;
        });
        long selectChat = count(() -> {
            routes.register(chatRoute, POD, TTL);
            return null;
        });
        long disconnect = count(() -> {
            locks.release(session, owner);
            routes.unregister(agentRoute, POD);
            routes.unregister(chatRoute, POD);
            return null;
        });

        System.out.printf("[relaymesh-bench] connect with token cache miss: %d round trips (get, put, acquire, register)%n", coldConnect);
        System.out.printf("[relaymesh-bench] connect with token cache hit: %d round trips (get, acquire, register)%n", warmConnect);
        System.out.printf("[relaymesh-bench] select_chat: %d round trip (register)%n", selectChat);
        System.out.printf("[relaymesh-bench] disconnect: %d round trips (release, unregister x2)%n", disconnect);
        assertEquals(4, coldConnect);
        assertEquals(3, warmConnect);
        assertEquals(1, selectChat);
        assertEquals(3, disconnect);
    }

    @Test
    void refreshTickFor10000Connections() {
        Map<SessionKey, SessionOwner> held = new HashMap<>();
        List<RouteKey> keys = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            SessionKey key = new SessionKey("session:acme:agent:tick-" + i);
            SessionOwner owner = owner(i);
            held.put(key, owner);
            keys.add(RouteKey.agent("acme", "tick-" + i));
        }
        // Set up through the adapters in bulk: refresh restores routes; locks are taken one by one once.
        routes.refresh(keys, POD, TTL);
        held.forEach((key, owner) -> locks.acquire(key, owner, TTL));

        for (int run = 0; run < 5; run++) {
            long before = redis.roundTrips();
            long start = System.nanoTime();
            Set<SessionKey> lost = locks.refreshAll(held, TTL);
            long sessionsDone = System.nanoTime();
            routes.refresh(keys, POD, TTL);
            long end = System.nanoTime();
            long roundTrips = redis.roundTrips() - before;
            System.out.printf("[relaymesh-bench] refresh tick %d, 10000 connections: %d round trips, sessions %.1f ms,"
                            + " routes %.1f ms, total %.1f ms%n", run + 1, roundTrips, (sessionsDone - start) / 1e6,
                    (end - sessionsDone) / 1e6, (end - start) / 1e6);
            assertEquals(Set.of(), lost);
            assertEquals(2, roundTrips, "one pipeline for the sessions, one for the routes");
        }
    }

    private static long count(Supplier<?> steps) {
        long before = redis.roundTrips();
        steps.get();
        return redis.roundTrips() - before;
    }

    private static SessionOwner owner(int i) {
        return new SessionOwner(POD, new ConnectionId("conn-" + i));
    }
}
