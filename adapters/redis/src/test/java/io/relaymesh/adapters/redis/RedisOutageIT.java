package io.relaymesh.adapters.redis;

import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.KillSwitch.KillRequest;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the adapters do while Redis is down and once it is back; each test has a Redis of its own to stop. */
@ExtendWith(RealServices.class)
class RedisOutageIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final PodId POD = new PodId("pod-outage");

    private RedisServer server;
    private RedisConnections redis;
    private RedisSessionLocks locks;
    private RedisRouteRegistry routes;
    private RedisPodDirectory pods;
    private RedisTokenCache tokens;
    private RedisKillSwitch killSwitch;
    private int sequence;

    @BeforeEach
    void startRedis() {
        server = RealServices.newRedis();
        redis = TestRedis.connect(server, RedisOutageIT.class, TIMEOUT);
        locks = new RedisSessionLocks(redis);
        routes = new RedisRouteRegistry(redis);
        pods = new RedisPodDirectory(redis);
        tokens = new RedisTokenCache(redis);
        killSwitch = new RedisKillSwitch(redis);
    }

    @AfterEach
    void stopRedis() {
        killSwitch.close();
        redis.close();
        server.close();
    }

    @Test
    void everyCall_failsFastWithPortUnavailable_whileRedisIsDown_andWorksAgainAfterRestart() {
        Map<String, Executable> calls = everyCall();
        calls.forEach((name, call) -> assertDoesNotThrow(call, name + " before the outage"));

        server.stop();

        Duration bound = TIMEOUT.multipliedBy(2).plusMillis(500);
        for (Map.Entry<String, Executable> call : calls.entrySet()) {
            long start = System.nanoTime();
            PortUnavailableException failure = assertThrows(PortUnavailableException.class, call.getValue(),
                    call.getKey() + " must fail with PortUnavailableException while Redis is down");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis <= bound.toMillis(), call.getKey() + " took " + millis + " ms to fail");
            assertFalse(failure.port().isBlank());
            assertTrue(failure.getMessage().contains(server.address()), failure.getMessage());
        }
        long start = System.nanoTime();
        PortUnavailableException listenFailure = assertThrows(PortUnavailableException.class,
                () -> killSwitch.listen(POD, request -> { }));
        assertTrue((System.nanoTime() - start) / 1_000_000 <= bound.toMillis(), "listen must give up within about 2x the timeout");
        assertEquals(RedisKillSwitch.PORT, listenFailure.port());
        assertFalse(redis.ping());

        server.start();

        calls.forEach((name, call) -> assertDoesNotThrow(call, name + " after Redis came back"));
        assertTrue(redis.ping());
    }

    @Test
    void idempotentCalls_succeedAtOnce_afterAQuickRestart() {
        SessionKey key = new SessionKey("session:acme:agent:quick");
        SessionOwner owner = owner();
        RouteKey route = RouteKey.agent("acme", "quick");
        locks.acquire(key, owner, LONG);
        routes.register(route, POD, LONG);

        // No call while Redis is down: the pooled connections are all dead and nobody noticed yet.
        server.stop();
        server.start();

        assertDoesNotThrow(() -> routes.refresh(List.of(route), POD, LONG), "a refresh must survive a dead pooled connection");
        assertEquals(Map.of(route, java.util.Set.of(POD)), routes.lookup(List.of(route)));
        assertEquals(java.util.Set.of(key), locks.refreshAll(Map.of(key, owner), LONG), "Redis lost its data in the restart");
        assertTrue(redis.ping());
    }

    @Test
    void killSwitchListener_resubscribesAfterRedisRestarts_andReceivesLaterRequests() throws Exception {
        BlockingQueue<KillRequest> received = new LinkedBlockingQueue<>();
        RedisKillSwitch.Subscription subscription = killSwitch.listen(POD, received::add);
        KillRequest before = new KillRequest(new SessionKey("session:acme:agent:before"), owner());
        killSwitch.requestKill(before);
        assertEquals(before, received.poll(2, TimeUnit.SECONDS));

        server.stop();
        assertTrue(awaitUnsubscribed(subscription), "the listener must notice that Redis went away");
        server.start();

        assertTrue(subscription.awaitSubscribed(Duration.ofSeconds(10)), "the listener must resubscribe by itself");
        KillRequest after = new KillRequest(new SessionKey("session:acme:agent:after"), owner());
        killSwitch.requestKill(after);
        assertEquals(after, received.poll(2, TimeUnit.SECONDS));
        subscription.close();
    }

    @Test
    void pubSubIngestion_resubscribesAfterRedisRestarts_andHandsOnLaterMessages() throws Exception {
        BlockingQueue<String> handed = new LinkedBlockingQueue<>();
        try (RedisPubSubIngest ingest = RedisPubSubIngest.start(redis, List.of("ws:conv:*"), Duration.ofSeconds(10),
                (channel, frame) -> handed.add(frame), outcome -> { })) {
            assertTrue(ingest.awaitSubscribed(Duration.ofSeconds(5)));
            try (var backend = TestRedis.raw(server)) {
                backend.publish("ws:conv:c1", "{\"type\":\"before\"}");
            }
            assertEquals("{\"type\":\"before\"}", handed.poll(2, TimeUnit.SECONDS));

            server.stop();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (ingest.isSubscribed() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertFalse(ingest.isSubscribed(), "the ingestion must notice that Redis went away");
            server.start();

            assertTrue(ingest.awaitSubscribed(Duration.ofSeconds(10)), "the ingestion must resubscribe by itself");
            try (var backend = TestRedis.raw(server)) {
                backend.publish("ws:conv:c1", "{\"type\":\"after\"}");
            }
            assertEquals("{\"type\":\"after\"}", handed.poll(2, TimeUnit.SECONDS));
        }
    }

    /** One call of every adapter method; keys are fresh each time so every call can succeed. */
    private Map<String, Executable> everyCall() {
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("acquire", () -> locks.acquire(sessionKey(), owner(), LONG));
        calls.put("takeOver", () -> locks.takeOver(sessionKey(), owner(), owner(), LONG));
        calls.put("refresh", () -> locks.refresh(sessionKey(), owner(), LONG));
        calls.put("refreshAll", () -> locks.refreshAll(Map.of(sessionKey(), owner()), LONG));
        calls.put("release", () -> locks.release(sessionKey(), owner()));
        calls.put("owner", () -> locks.owner(sessionKey()));
        calls.put("register", () -> routes.register(RouteKey.agent("acme", "a" + ++sequence), POD, LONG));
        calls.put("unregister", () -> routes.unregister(RouteKey.agent("acme", "a" + ++sequence), POD));
        calls.put("route refresh", () -> routes.refresh(List.of(RouteKey.agent("acme", "a" + ++sequence)), POD, LONG));
        calls.put("lookup", () -> routes.lookup(List.of(RouteKey.agent("acme", "a" + ++sequence))));
        calls.put("heartbeat", () -> pods.heartbeat(POD, "10.0.0.1:9090", LONG));
        calls.put("address", () -> pods.address(POD));
        calls.put("livePods", () -> pods.livePods());
        calls.put("remove", () -> pods.remove(new PodId("pod-gone")));
        calls.put("token put", () -> tokens.put("hash" + ++sequence,
                new UserClaims("acme", "agent", "u1", Instant.parse("2031-01-01T00:00:00Z")), LONG));
        calls.put("token get", () -> tokens.get("hash" + ++sequence, UserClaims.class));
        calls.put("requestKill", () -> killSwitch.requestKill(new KillRequest(sessionKey(), owner())));
        return calls;
    }

    private SessionKey sessionKey() {
        return new SessionKey("session:acme:agent:u" + ++sequence);
    }

    private SessionOwner owner() {
        return new SessionOwner(POD, new ConnectionId("c" + ++sequence));
    }

    private static boolean awaitUnsubscribed(RedisKillSwitch.Subscription subscription) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (subscription.isSubscribed() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return !subscription.isSubscribed();
    }
}
