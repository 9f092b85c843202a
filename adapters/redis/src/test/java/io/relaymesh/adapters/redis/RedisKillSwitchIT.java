package io.relaymesh.adapters.redis;

import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.KillSwitch;
import io.relaymesh.domain.port.KillSwitch.KillRequest;
import io.relaymesh.domain.port.contract.KillSwitchContract;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(RealServices.class)
class RedisKillSwitchIT extends KillSwitchContract {
    private static RedisConnections redis;
    private static RedisClient raw;
    private final List<RedisKillSwitch> created = new ArrayList<>();

    @BeforeAll
    static void connect(RedisServer server) {
        redis = TestRedis.connect(server, RedisKillSwitchIT.class);
        raw = TestRedis.raw(server);
    }

    @AfterAll
    static void disconnect() {
        redis.close();
        raw.close();
    }

    @Override
    protected KillSwitch createKillSwitch() {
        RedisKillSwitch killSwitch = new RedisKillSwitch(redis);
        created.add(killSwitch);
        return killSwitch;
    }

    @AfterEach
    void closeSwitches() {
        created.forEach(RedisKillSwitch::close);
    }

    @Test
    void request_isPublishedOnThePodsChannel_asSmallJson() throws Exception {
        RedisKillSwitch killSwitch = (RedisKillSwitch) createKillSwitch();
        PodId pod = new PodId("pod-json");
        BlockingQueue<KillRequest> received = new LinkedBlockingQueue<>();
        try (RedisKillSwitch.Subscription ignored = killSwitch.listen(pod, received::add)) {
            KillRequest request = new KillRequest(new SessionKey("session:acme:agent:u1"),
                    new SessionOwner(pod, new ConnectionId("c-7")));
            String channel = redis.settings().keyPrefix() + "session_kill:pod-json";

            assertEquals(1, raw.publish(channel, "{\"session_key\":\"session:acme:agent:u1\",\"victim\":\"pod-json/c-7\"}"));

            assertEquals(request, received.poll(2, TimeUnit.SECONDS));
        }
    }

    @Test
    void malformedMessage_isDropped_andLaterRequestsArrive() throws Exception {
        RedisKillSwitch killSwitch = (RedisKillSwitch) createKillSwitch();
        PodId pod = new PodId("pod-malformed");
        BlockingQueue<KillRequest> received = new LinkedBlockingQueue<>();
        try (RedisKillSwitch.Subscription subscription = killSwitch.listen(pod, received::add)) {
            raw.publish(redis.settings().keyPrefix() + "session_kill:pod-malformed", "not json");
            KillRequest request = new KillRequest(new SessionKey("session:acme:agent:u2"),
                    new SessionOwner(pod, new ConnectionId("c-8")));

            killSwitch.requestKill(request);

            assertEquals(request, received.poll(2, TimeUnit.SECONDS));
            assertTrue(subscription.isSubscribed());
        }
        assertEquals(0, killSwitch.openSubscriptions(), "a closed subscription must be forgotten");
    }
}
