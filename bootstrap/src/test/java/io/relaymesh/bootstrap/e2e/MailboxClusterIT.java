package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static io.relaymesh.bootstrap.e2e.MailboxJar.WAIT;
import static io.relaymesh.bootstrap.e2e.MailboxJar.pull;
import static io.relaymesh.bootstrap.e2e.MailboxJar.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, cluster: two real pods on a real Redis (with AOF) and NATS JetStream. The sender is on
 * one pod and the recipient on the other; messages live in Redis, pushes cross pods through the
 * core's delivery, backends send through JetStream, and a Redis restart loses nothing.
 */
@ExtendWith(RealServices.class)
class MailboxClusterIT {
    private static final String B64 = "SGVsbG8gV29ybGQ=";
    @TempDir
    static Path dir;
    private static RedisServer redis;
    private static NatsServer nats;
    private static MailboxJar podA;
    private static MailboxJar podB;

    @BeforeAll
    static void start() throws Exception {
        redis = RealServices.newRedis("--appendonly", "yes", "--appendfsync", "always");
        nats = RealServices.nats();
        podA = MailboxJar.start(dir.resolve("a.db"), MailboxJar.cluster("pod-mail-a", redis.address(), nats.url()));
        podB = MailboxJar.start(dir.resolve("b.db"), MailboxJar.cluster("pod-mail-b", redis.address(), nats.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        try (MailboxJar a = podA; MailboxJar b = podB) {
            // closed in reverse order
        } finally {
            redis.close();
        }
    }

    private static String id(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void senderOnOnePod_recipientOnTheOther_offlineThenOnline_pullAck_andAckBySomeoneElseRefused() {
        String alice = id("alice");
        String bob = id("bob");
        try (WsClient a = podA.hello(alice)) {
            String waiting = send(a, bob, 3600, B64).path("msg_id").asText();
            try (WsClient b = podB.hello("/ws", bob)) {
                JsonNode pushed = b.next(WAIT);
                assertEquals(waiting, pushed.path("msg_id").asText(), pushed.toString());
                assertEquals(alice, pushed.path("from").asText());

                // Online on pod B, sent on pod A: the push crosses pods.
                String live = send(a, bob, 3600, "bGl2ZQ==").path("msg_id").asText();
                JsonNode crossed = b.next(WAIT);
                assertEquals(live, crossed.path("msg_id").asText(), crossed.toString());
                assertEquals("bGl2ZQ==", crossed.path("payload_b64").asText());
                assertEquals(alice, crossed.path("from").asText(), "the attributes cross pods too");
                assertTrue(crossed.path("at").asLong() > 0, crossed.toString());

                assertEquals(2, pull(b, 50).size());
                a.send("{\"type\":\"ack\",\"msg_id\":\"" + live + "\"}");
                JsonNode refused = a.next(WAIT);
                assertEquals("error", refused.path("type").asText());
                assertTrue(refused.path("payload").asText().contains("not in your mailbox"), refused.toString());
                b.send("{\"type\":\"ack\",\"msg_id\":\"" + waiting + "\"}");
                JsonNode left = pull(b, 50);
                assertEquals(1, left.size(), left.toString());
                assertEquals(live, left.get(0).path("msg_id").asText());

                // A second device of bob on the other pod gets the same pushes.
                try (WsClient b2 = podA.hello(bob)) {
                    assertEquals(live, b2.next(WAIT).path("msg_id").asText());
                    String third = send(a, bob, 60, B64).path("msg_id").asText();
                    assertEquals(third, b.next(WAIT).path("msg_id").asText());
                    assertEquals(third, b2.next(WAIT).path("msg_id").asText());
                }
            }
        }
        // Pulled from the other pod, what is not acked is still there.
        try (WsClient b = podA.hello(bob)) {
            b.next(WAIT);
            b.next(WAIT);
            assertEquals(2, pull(b, 50).size());
        }
    }

    @Test
    void expiredMessages_areSweptOnceAcrossPods_andNeverDelivered() {
        String carol = id("carol");
        double before = podA.metric("messages_expired_total") + podB.metric("messages_expired_total");
        try (WsClient a = podA.hello(id("sender"))) {
            send(a, carol, 1, B64);
        }
        GatewayHarness.eventually(Duration.ofSeconds(10), "a pod's sweeper counts the expired message",
                () -> podA.metric("messages_expired_total") + podB.metric("messages_expired_total") >= before + 1);
        try (WsClient c = podB.hello(carol)) {
            assertNull(c.poll(Duration.ofMillis(500)));
            assertEquals(0, pull(c, 10).size());
        }
        assertEquals(before + 1, podA.metric("messages_expired_total") + podB.metric("messages_expired_total"),
                "counted by one pod only");
    }

    @Test
    void aBackend_sendsThroughJetStream_toARecipientOnEitherPod() {
        String dora = id("dora");
        try (WsClient d = podB.hello(dora)) {
            ObjectNode payload = WsClient.JSON.createObjectNode();
            payload.put("from", "billing").put("payload_b64", B64).put("ttl_seconds", 600);
            var published = podA.publish("mailbox." + dora, payload);
            assertEquals(200, published.statusCode(), published.body());
            JsonNode pushed = d.next(WAIT);
            assertEquals("message", pushed.path("type").asText(), pushed.toString());
            assertEquals("billing", pushed.path("from").asText());
            assertEquals(1, pull(d, 10).size(), "stored in Redis, not only pushed");
            payload.put("ttl_seconds", -5);
            var bad = podA.publish("mailbox." + dora, payload);
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("ttl_seconds must be 0 or more"), bad.body());
        }
    }

    @Test
    void aRedisRestartWithAof_losesNoMessage_andWhileItIsDownSendsGetAnErrorAndHealthzIs503() {
        String emil = id("emil");
        String kept;
        try (WsClient a = podA.hello(id("sender"))) {
            kept = send(a, emil, 3600, B64).path("msg_id").asText();
            redis.stop();
            try {
                GatewayHarness.eventually(Duration.ofSeconds(10), "healthz says the store is down",
                        () -> podA.get("/healthz").statusCode() == 503);
                a.send("{\"type\":\"send\",\"to\":\"" + emil + "\",\"ttl_seconds\":60,\"payload_b64\":\"" + B64 + "\"}");
                JsonNode error = a.next(Duration.ofSeconds(20));
                assertEquals("error", error.path("type").asText(), error.toString());
                assertTrue(error.path("payload").asText().contains("not stored"), error.toString());
            } finally {
                redis.start();
            }
        }
        GatewayHarness.eventually(Duration.ofSeconds(15), "healthz is 200 again",
                () -> podB.get("/healthz").statusCode() == 200);
        try (WsClient e = podB.hello(emil)) {
            assertEquals(kept, e.next(WAIT).path("msg_id").asText());
            assertNull(e.poll(Duration.ofMillis(300)), "the send refused while Redis was down was not stored");
        }
    }
}
