package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.relaymesh.bootstrap.e2e.ChatClients.WAIT;
import static io.relaymesh.bootstrap.e2e.ChatClients.joined;
import static io.relaymesh.bootstrap.e2e.ChatClients.next;
import static io.relaymesh.bootstrap.e2e.ChatClients.none;
import static io.relaymesh.bootstrap.e2e.ChatClients.presenceOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, cluster: the chat gateway protocol on two pods (one of them the built jar) sharing
 * real Redis and NATS JetStream: users on different pods in one conversation see each other's
 * typing and presence; message.new comes from JetStream (the HTTP publish API in cluster mode) and
 * from the seed backend's Redis Pub/Sub channels, once per socket; a pod killed with -9 takes its
 * users offline after the presence expiry.
 */
@ExtendWith(RealServices.class)
class ConversationsClusterIT {
    private static RedisServer redis;
    private static NatsServer nats;

    @BeforeAll
    static void services() throws Exception {
        redis = RealServices.newRedis();
        nats = RealServices.nats();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    /** @param presenceSeconds how long a silent connection counts as online */
    private static Map<String, String> podEnv(String podId, int presenceSeconds) {
        Map<String, String> env = new HashMap<>(GatewayHarness.clusterEnv(podId, redis.address(), nats.url()));
        env.putAll(ChatClients.env(Map.of("RELAYMESH_DIALECTS_CONVERSATIONS_REDIS_PUBSUB_ENABLED", "true",
                "RELAYMESH_DIALECTS_CONVERSATIONS_PRESENCE_EXPIRY_SECONDS", String.valueOf(presenceSeconds))));
        return env;
    }

    private static JarProcess jarPod(String podId, int presenceSeconds) throws Exception {
        int port = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(JarProcess.keyedEnv(port));
        env.putAll(podEnv(podId, presenceSeconds));
        env.put("RELAYMESH_SERVER_HTTP_PORT", String.valueOf(port));
        return JarProcess.start(port, env, 0).awaitUp();
    }

    private static URI ws(JarProcess jar) {
        return URI.create("ws://127.0.0.1:" + jar.port + "/conversations/ws");
    }

    @Test
    void usersOnTwoPods_shareTypingPresenceAndMessagesFromJetStreamAndPubSub() throws Exception {
        try (JarProcess a = jarPod("conv-pod-a", 60);
             GatewayHarness b = GatewayHarness.pod("conv-pod-b", redis.address(), nats.url(), podEnv("conv-pod-b", 60));
             WsClient alice = joined(ws(a), "alice", "c1");
             WsClient bob = joined(b.ws("/ws"), "bob", "c1");
             Jedis backend = new Jedis(redis.host(), redis.port())) {
            assertEquals("online", presenceOf(alice, "bob", WAIT), "bob's presence crossed from pod b to pod a");

            alice.send("{\"type\":\"typing\",\"payload\":{\"conversation_id\":\"c1\"}}");
            assertEquals(WsClient.JSON.readTree("{\"conversation_id\":\"c1\",\"user_id\":\"alice\"}"),
                    next(bob, "typing.start").path("payload"));
            assertEquals("alice", next(bob, "typing.stop", Duration.ofSeconds(5)).path("payload").path("user_id").asText());
            assertNull(none(alice, "typing.start", Duration.ofMillis(200)), "not back to the sender");

            // JetStream: in cluster mode the publish API writes to the dialects' stream; one pod consumes.
            b.publish("conversations.c1", "{\"event_id\":\"js-1\",\"id\":\"m1\",\"content\":\"via JetStream\"}");
            for (WsClient client : List.of(alice, bob)) {
                assertEquals("via JetStream", next(client, "message.new").path("payload").path("message").path("content").asText());
            }

            // The seed backend's Redis Pub/Sub channels: each pod receives the message, one claims it,
            // every socket gets it once.
            String frame = "{\"type\":\"message.new\",\"payload\":{\"conversation_id\":\"c1\",\"message\":{\"id\":\"m2\","
                    + "\"sender_id\":\"carol\",\"content\":\"via Pub/Sub\",\"created_at\":\"2025-10-27T12:00:00Z\"}}}";
            assertEquals(2, backend.publish("ws:conv:c1", frame), "both pods subscribe");
            for (WsClient client : List.of(alice, bob)) {
                assertEquals(WsClient.JSON.readTree(frame), next(client, "message.new"));
                assertNull(none(client, "message.new", Duration.ofMillis(700)), "delivered once per socket");
            }
            backend.publish("ws:user:bob", "{\"type\":\"notification\",\"payload\":{\"text\":\"hi bob\"}}");
            assertEquals("hi bob", next(bob, "notification").path("payload").path("text").asText());
            assertNull(none(alice, "notification", Duration.ofMillis(300)), "ws:user:bob is bob's only");
            backend.publish("ws:conv:c1", "not a frame");
            assertNull(none(bob, "message.new", Duration.ofMillis(300)));
            GatewayHarness.eventually(WAIT, "the invalid Pub/Sub message counted", () -> b.get("/metrics").body()
                    .contains("relaymesh_conversations_pubsub_messages_total{dialect=\"conversations\",outcome=\"invalid\"}"));

            alice.send("{\"type\":\"presence.query\",\"payload\":{\"conversation_id\":\"c1\"}}");
            assertTrue(next(alice, "presence.state").path("payload").path("users").toString()
                    .contains("{\"user_id\":\"bob\",\"status\":\"online\"}"));

            bob.close();
            assertEquals("offline", presenceOf(alice, "bob", WAIT), "bob's last connection closed on pod b");
        }
    }

    @Test
    void aPodKilledWithoutClosing_takesItsUsersOfflineAfterThePresenceExpiry() throws Exception {
        try (GatewayHarness b = GatewayHarness.pod("conv-pod-d", redis.address(), nats.url(), podEnv("conv-pod-d", 2));
             WsClient dan = joined(b.ws("/conversations/ws"), "dan", "c2")) {
            JarProcess doomed = jarPod("conv-pod-c", 2);
            WsClient carol = joined(ws(doomed), "carol", "c2");
            assertEquals("online", presenceOf(dan, "carol", WAIT));
            long killed = System.nanoTime();
            doomed.process.destroyForcibly(); // kill -9: no close frame, no cleanup
            doomed.process.waitFor();
            // Dan pings to stay alive himself; carol's entry lapses 2 s after her last heartbeat.
            String status = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            long nextPing = 0;
            while (status == null && System.nanoTime() < deadline) {
                if (System.nanoTime() >= nextPing) {
                    dan.send("{\"type\":\"ping\"}");
                    nextPing = System.nanoTime() + Duration.ofMillis(300).toNanos();
                }
                JsonNode frame = dan.poll(Duration.ofMillis(100));
                if (frame != null && "presence.update".equals(frame.path("type").asText())
                        && "carol".equals(frame.path("payload").path("user_id").asText())) {
                    status = frame.path("payload").path("status").asText();
                }
            }
            assertEquals("offline", status, "carol's pod died; her presence lapsed");
            long tookMillis = Duration.ofNanos(System.nanoTime() - killed).toMillis();
            assertTrue(tookMillis >= 500, "not at once but after the expiry: " + tookMillis + " ms");
            carol.close();
            doomed.close();
        }
    }
}
