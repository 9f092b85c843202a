package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, standalone: every endpoint and frame of Pulsar Relay's API against the real jar, with
 * its embedded file store (retention 5 s and 5 messages per topic, so trimming shows in a test).
 */
class TopicsStandaloneIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(400);
    private static JarProcess jar;
    private static TopicsHttp api;

    @BeforeAll
    static void start() throws Exception {
        int port = JarProcess.freePort();
        jar = JarProcess.start(port, TopicsHttp.env(JarProcess.safeEnv(port), Map.of(
                "RELAYMESH_DIALECTS_TOPICS_RETENTION_SECONDS", "5",
                "RELAYMESH_DIALECTS_TOPICS_MAX_MESSAGES_PER_TOPIC", "5",
                "RELAYMESH_DIALECTS_TOPICS_MAX_PAYLOAD_BYTES", "1024",
                "RELAYMESH_DIALECTS_TOPICS_MAX_ACKS_PER_SECOND", "100")), 0).awaitUp();
        api = new TopicsHttp(port);
    }

    @AfterAll
    static void stop() throws Exception {
        if (jar != null) {
            jar.close();
        }
    }

    private static WsClient subscriber(String user, String clientId, String... topics) {
        WsClient ws = WsClient.connect(api.ws("/topics/ws?token=" + TopicsHttp.jwt(user)));
        subscribe(ws, clientId, topics);
        return ws;
    }

    private static void subscribe(WsClient ws, String clientId, String... topics) {
        ws.send("{\"type\":\"subscribe\",\"topics\":" + WsClient.JSON.valueToTree(List.of(topics))
                + (clientId == null ? "" : ",\"client_id\":\"" + clientId + "\"") + "}");
        JsonNode subscribed = ws.next(WAIT);
        assertEquals("subscribed", subscribed.path("type").asText(), subscribed.toString());
        assertEquals(List.of(topics), toList(subscribed.path("topics")));
    }

    private static List<String> toList(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void aProducersMessage_reachesASubscriberOnTheTopicsPath_asAMessageFrame_andUnsubscribeStopsThem() {
        try (WsClient ws = subscriber("alice", "alice-1", "news", "alerts")) {
            TopicsHttp.Answer published = api.publish("news", "{\"user_id\":123,\"message\":\"Hello, World!\"}");
            JsonNode answer = published.body();
            assertEquals("accepted", answer.path("status").asText());
            assertEquals("news", answer.path("topic").asText());
            assertTrue(answer.path("timestamp").asText().endsWith("Z"), answer.toString());
            JsonNode message = ws.next(WAIT);
            assertEquals("message", message.path("type").asText());
            assertEquals(answer.path("message_id").asText(), message.path("message_id").asText());
            assertEquals("news", message.path("topic").asText());
            assertEquals("Hello, World!", message.path("payload").path("message").asText());
            assertEquals(123, message.path("payload").path("user_id").asInt());
            assertEquals(answer.path("timestamp").asText(), message.path("timestamp").asText());

            ws.send("{\"type\":\"ping\"}");
            assertEquals("pong", ws.next(WAIT).path("type").asText());
            ws.send("{\"type\":\"ack\",\"message_id\":\"" + message.path("message_id").asText() + "\"}");
            ws.send("{\"type\":\"unsubscribe\",\"topics\":[\"news\"]}");
            JsonNode unsubscribed = ws.next(WAIT);
            assertEquals("unsubscribed", unsubscribed.path("type").asText(), "an ack has no answer: " + unsubscribed);
            api.publish("news", "{\"n\":2}");
            api.publish("alerts", "{\"n\":3}");
            JsonNode alert = ws.next(WAIT);
            assertEquals("alerts", alert.path("topic").asText(), "nothing more of news, alerts still: " + alert);
        }
    }

    @Test
    void theSharedPath_takesAFirstSubscribeFrame_withTheTokenInTheHeaderOrAsBrowserSubprotocols() {
        String token = TopicsHttp.jwt("bob");
        try (WsClient viaHeader = WsClient.connect(api.ws("/ws"), Map.of("Authorization", "Bearer " + token), List.of());
             WsClient viaSubprotocol = WsClient.connect(api.ws("/topics/ws"), Map.of(), List.of("bearer", token))) {
            assertEquals("bearer", viaSubprotocol.subprotocol(), "the browser form is answered with its subprotocol");
            subscribe(viaHeader, null, "shared");
            subscribe(viaSubprotocol, null, "shared");
            api.publish("shared", "{\"n\":1}");
            assertEquals(1, viaHeader.next(WAIT).path("payload").path("n").asInt());
            assertEquals(1, viaSubprotocol.next(WAIT).path("payload").path("n").asInt());
        }
    }

    @Test
    void aSubscriberThatComesBackWithItsClientId_getsWhatItMissedOnceAndInOrder_thenLive_andNothingItAcked() {
        List<String> acked = new ArrayList<>();
        try (WsClient first = subscriber("carol", "carol-phone", "orders")) {
            api.publish("orders", "{\"n\":1}");
            api.publish("orders", "{\"n\":2}");
            for (int i = 0; i < 2; i++) {
                JsonNode m = first.next(WAIT);
                acked.add(m.path("message_id").asText());
            }
            // Acked with both forms; only the first is acked before the socket goes away.
            first.send("{\"type\":\"ack\",\"message_ids\":[\"" + acked.getFirst() + "\"]}");
            first.send("{\"type\":\"ping\"}");
            assertEquals("pong", first.next(WAIT).path("type").asText());
        }
        for (int n = 3; n <= 5; n++) {
            api.publish("orders", "{\"n\":" + n + "}");
        }
        try (WsClient again = subscriber("carol", "carol-phone", "orders");
             WsClient stranger = subscriber("mallory", "carol-phone", "orders")) {
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                got.add(again.next(WAIT).path("payload").path("n").asInt());
            }
            assertEquals(List.of(2, 3, 4, 5), got, "the unacked one, then the missed ones, in publish order");
            api.publish("orders", "{\"n\":6}");
            assertEquals(6, again.next(WAIT).path("payload").path("n").asInt(), "then live");
            assertNull(again.poll(QUIET), "each message once");
            assertEquals(6, stranger.next(WAIT).path("payload").path("n").asInt(),
                    "another user's same client id is another consumer: it starts now");
        }
    }

    @Test
    void bulkPublish_saysWhichWereAcceptedAndWhy_andARetriedPublishIsANoOp() {
        try (WsClient ws = subscriber("dave", "dave-1", "bulk")) {
            TopicsHttp.Answer bulk = api.post("/api/v1/messages/bulk", TopicsHttp.PUBLISHING_KEY, """
                    {"messages":[{"topic":"bulk","payload":{"n":1}},
                                 {"topic":"bad topic","payload":{"n":2}},
                                 {"topic":"bulk","payload":{"n":3},"ttl":60,"message_id":"bulk-3"},
                                 {"topic":"bulk"}]}""");
            assertEquals(200, bulk.status(), bulk.text());
            assertEquals(2, bulk.body().path("accepted").asInt());
            assertEquals(2, bulk.body().path("rejected").asInt());
            JsonNode results = bulk.body().path("results");
            assertEquals("accepted", results.get(0).path("status").asText());
            assertEquals("InvalidTopic", results.get(1).path("error").path("code").asText());
            assertEquals("topic", results.get(1).path("error").path("field").asText());
            assertEquals("bulk-3", results.get(2).path("message_id").asText());
            assertEquals("payload", results.get(3).path("error").path("field").asText(), results.get(3).toString());
            assertEquals(1, ws.next(WAIT).path("payload").path("n").asInt());
            assertEquals(3, ws.next(WAIT).path("payload").path("n").asInt());

            TopicsHttp.Answer once = api.send(TopicsHttp.PUBLISHING_KEY, "{\"topic\":\"bulk\",\"payload\":{\"n\":4}}",
                    "Idempotency-Key", "retry-me-1");
            TopicsHttp.Answer twice = api.send(TopicsHttp.PUBLISHING_KEY, "{\"topic\":\"bulk\",\"payload\":{\"n\":4}}",
                    "Idempotency-Key", "retry-me-1");
            TopicsHttp.Answer again = api.send(TopicsHttp.PUBLISHING_KEY,
                    "{\"topic\":\"bulk\",\"payload\":{\"n\":3},\"message_id\":\"bulk-3\"}");
            assertEquals("accepted", once.body().path("status").asText());
            assertEquals("duplicate", twice.body().path("status").asText());
            assertEquals(once.body().path("message_id"), twice.body().path("message_id"));
            assertEquals("duplicate", again.body().path("status").asText(), again.text());
            assertEquals(4, ws.next(WAIT).path("payload").path("n").asInt());
            assertNull(ws.poll(QUIET), "retries deliver nothing");
        }
    }

    @Test
    void badKeysTokensTopicsAndPayloads_getAnErrorNamingTheProblem_andStoreNothing() {
        String token = TopicsHttp.jwt("erin");
        api.poll(token, "guarded", 0, "erin-1"); // the consumer starts now: anything stored later is pending

        TopicsHttp.Answer noKey = api.send(null, "{\"topic\":\"guarded\",\"payload\":{}}");
        assertEquals(401, noKey.status());
        assertEquals("InvalidAPIKey", noKey.body().path("error").path("code").asText());
        TopicsHttp.Answer wrongKey = api.send("not-the-publishing-key", "{\"topic\":\"guarded\",\"payload\":{}}");
        assertEquals(401, wrongKey.status());
        TopicsHttp.Answer generalKey = api.send(GatewayHarness.GENERAL_KEY, "{\"topic\":\"guarded\",\"payload\":{}}");
        assertEquals(401, generalKey.status(), "the general key mints tokens; it does not publish");
        TopicsHttp.Answer badTopic = api.send(TopicsHttp.PUBLISHING_KEY, "{\"topic\":\"a.b\",\"payload\":{}}");
        assertEquals(400, badTopic.status());
        assertEquals("InvalidTopic", badTopic.body().path("error").path("code").asText());
        assertTrue(badTopic.body().path("error").path("message").asText().contains("'.'"), badTopic.text());
        TopicsHttp.Answer big = api.send(TopicsHttp.PUBLISHING_KEY,
                "{\"topic\":\"guarded\",\"payload\":\"" + "x".repeat(2000) + "\"}");
        assertEquals(413, big.status());
        assertEquals("PayloadTooLarge", big.body().path("error").path("code").asText());
        TopicsHttp.Answer notJson = api.send(TopicsHttp.PUBLISHING_KEY, "{\"topic\":");
        assertEquals(400, notJson.status());
        assertTrue(notJson.body().path("error").path("message").asText().contains("not valid JSON"));
        TopicsHttp.Answer badTtl = api.send(TopicsHttp.PUBLISHING_KEY, "{\"topic\":\"guarded\",\"payload\":{},\"ttl\":0}");
        assertEquals(400, badTtl.status());
        assertEquals("ttl", badTtl.body().path("error").path("field").asText());
        assertEquals(List.of(), TopicsHttp.idsOf(api.poll(token, "guarded", 0, "erin-1")), "nothing was stored");

        TopicsHttp.Answer badJwt = api.get("/api/v1/poll?topics=guarded&timeout=0", "not.a.jwt");
        assertEquals(401, badJwt.status());
        assertEquals("InvalidToken", badJwt.body().path("error").path("code").asText());
        TopicsHttp.Answer forged = api.get("/api/v1/poll?topics=guarded&timeout=0",
                JwtTokens.hs256("another-secret-0123456789abcdef-0123456789", new com.nimbusds.jwt.JWTClaimsSet.Builder()
                        .subject("erin").expirationTime(new java.util.Date(System.currentTimeMillis() + 60_000))));
        assertEquals(401, forged.status(), forged.text());
        assertEquals(401, api.get("/api/v1/poll?topics=guarded&timeout=0", null).status());
        assertEquals(400, api.get("/api/v1/poll?topics=bad%20topic&timeout=0", token).status());
        assertEquals(400, api.get("/api/v1/poll?topics=guarded&timeout=soon", token).status());

        try (WsClient noToken = WsClient.connect(api.ws("/topics/ws"))) {
            assertEquals("Unauthorized", noToken.next(WAIT).path("code").asText());
            assertEquals(4401, noToken.awaitClose(WAIT).code());
        }
        try (WsClient badToken = WsClient.connect(api.ws("/topics/ws?token=not.a.jwt"))) {
            assertEquals("InvalidToken", badToken.next(WAIT).path("code").asText());
            assertEquals(4403, badToken.awaitClose(WAIT).code());
        }
        try (WsClient ws = WsClient.connect(api.ws("/topics/ws?token=" + token))) {
            ws.send("{\"type\":\"subscribe\",\"topics\":[\"fine\",\"no/slash\"]}");
            JsonNode error = ws.next(WAIT);
            assertEquals("InvalidTopic", error.path("code").asText(), error.toString());
            assertTrue(error.path("message").asText().contains("no/slash"));
            ws.send("not json");
            assertEquals("BadRequest", ws.next(WAIT).path("code").asText());
            ws.send("{\"type\":\"teleport\"}");
            assertTrue(ws.next(WAIT).path("message").asText().contains("teleport"));
            ws.send("{\"type\":\"ack\",\"message_id\":\"m1\"}");
            assertTrue(ws.next(WAIT).path("message").asText().contains("client_id"), "an ack needs a client id");
            subscribe(ws, null, "fine");
            assertTrue(!ws.isClosed(), "errors in frames keep the socket open");
        }
    }

    @Test
    void aLongPoll_answersAtOnceWithUnackedMessages_waitsForTheNextOne_andAnswersEmptyAtItsTimeout() {
        String token = TopicsHttp.jwt("frank");
        TopicsHttp.Answer empty = api.poll(token, "polled,other", 2, null);
        assertEquals(List.of(), TopicsHttp.idsOf(empty));
        assertEquals("frank", empty.body().path("client_id").asText(), "the token's subject when no client_id");
        assertTrue(empty.millis() >= 1000 && empty.millis() <= 3000, "empty at the 2 s timeout (± 1 s): " + empty.millis());

        api.publish("polled", "{\"n\":1}");
        TopicsHttp.Answer quick = api.poll(token, "polled,other", 30, null);
        assertEquals(List.of("1"), TopicsHttp.payloadsOf(quick, "n"));
        assertTrue(quick.millis() < 1000, "pending messages answer at once: " + quick.millis() + " ms");
        assertEquals(List.of("1"), TopicsHttp.payloadsOf(api.poll(token, "polled", 0, null), "n"), "until acked");
        TopicsHttp.Answer ack = api.ack(token, "frank", TopicsHttp.idsOf(quick));
        assertEquals(1, ack.body().path("acknowledged").asInt(), ack.text());
        TopicsHttp.Answer unknown = api.ack(token, "frank", List.of("never-published"));
        assertEquals(List.of("never-published"), toList(unknown.body().path("unknown")));

        java.util.concurrent.CompletableFuture<TopicsHttp.Answer> waiting = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> api.poll(token, "polled,other", 30, null));
        GatewayHarness.eventually(WAIT, "the poll waits", () -> jar.get("/metrics")
                .contains("relaymesh_topics_polls_waiting{dialect=\"topics\"} 1.0"));
        long published = System.nanoTime();
        api.publish("other", "{\"n\":2}");
        TopicsHttp.Answer woke = waiting.join();
        long after = (System.nanoTime() - published) / 1_000_000;
        assertEquals(List.of("2"), TopicsHttp.payloadsOf(woke, "n"), "acked ones are not returned again");
        assertTrue(after < 500, "a waiting poll answers within milliseconds of the publish: " + after + " ms");
    }

    @Test
    void retentionTtlAndTheCountPerTopic_trimOldMessages() {
        String token = TopicsHttp.jwt("gina");
        api.poll(token, "trimmed", 0, "g1");
        for (int n = 1; n <= 7; n++) {
            api.publish("trimmed", "{\"n\":" + n + "}");
        }
        assertEquals(List.of("3", "4", "5", "6", "7"), TopicsHttp.payloadsOf(api.poll(token, "trimmed", 0, "g1"), "n"),
                "max_messages_per_topic 5: the oldest two are gone");

        api.poll(token, "aging", 0, "g1");
        api.send(TopicsHttp.PUBLISHING_KEY, "{\"topic\":\"aging\",\"payload\":{\"n\":1},\"ttl\":1}");
        api.publish("aging", "{\"n\":2}");
        sleep(1500);
        assertEquals(List.of("2"), TopicsHttp.payloadsOf(api.poll(token, "aging", 0, "g1"), "n"), "ttl 1 s is over");
        sleep(4000);
        assertEquals(List.of(), TopicsHttp.payloadsOf(api.poll(token, "aging", 0, "g1"), "n"), "retention 5 s is over");
    }

    @Test
    void aBackendPublishingOnTheTopicsSubject_reachesSubscribers_andIsRetainedLikeAProducersMessage() {
        try (WsClient ws = subscriber("hank", "hank-1", "backend")) {
            HttpResponseCheck.ok(api.post("/api/v1/publish", null, "{\"subject\":\"topics.backend\",\"payload\":{\"n\":1}}",
                    "X-API-Key", GatewayHarness.ADMIN_KEY));
            JsonNode m = ws.next(WAIT);
            assertEquals("message", m.path("type").asText());
            assertEquals("backend", m.path("topic").asText());
            assertEquals(1, m.path("payload").path("n").asInt());
        }
        TopicsHttp.Answer missed = api.poll(TopicsHttp.jwt("hank"), "backend", 0, "hank-1");
        assertEquals(List.of("1"), TopicsHttp.payloadsOf(missed, "n"), "kept for the client id, not acked yet");
    }

    @Test
    void messagesPublishedAtOnceByManyProducers_allReachASubscriber() throws Exception {
        try (WsClient ws = subscriber("ida", "ida-1", "crowd")) {
            java.util.concurrent.ExecutorService producers = java.util.concurrent.Executors.newFixedThreadPool(16);
            try {
                List<java.util.concurrent.Future<TopicsHttp.Answer>> sent = new ArrayList<>();
                for (int n = 0; n < 80; n++) {
                    int i = n;
                    sent.add(producers.submit(() -> api.publish("crowd", "{\"n\":" + i + "}")));
                }
                for (var f : sent) {
                    f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                }
            } finally {
                producers.shutdownNow();
            }
            java.util.Set<Integer> got = new java.util.HashSet<>();
            for (int i = 0; i < 80; i++) {
                got.add(ws.next(WAIT).path("payload").path("n").asInt());
            }
            assertEquals(80, got.size(), "none lost when stored and delivered in different orders");
            assertNull(ws.poll(QUIET), "none twice");
        }
    }

    @Test
    void aClientAckingEveryMessage_isNotCutByTheFrameRate_butAnAckFloodIs() {
        try (WsClient ws = subscriber("jill", "jill-1", "acked")) {
            // 150 acks within a second: far over app.client_max_messages_per_second (20, burst 40), within
            // the acks' own budget. Sent 30 at a time, each batch's answers read before the next: a
            // client that leaves more than 64 replies unread is cut as slow, whatever the frame rate.
            for (int batch = 0; batch < 5; batch++) {
                for (int i = 0; i < 30; i++) {
                    ws.send("{\"type\":\"ack\",\"message_id\":\"never-" + (batch * 30 + i) + "\"}");
                }
                for (int i = 0; i < 30; i++) {
                    JsonNode answer = ws.next(WAIT);
                    assertEquals("UnknownMessage", answer.path("code").asText(), "ack " + (batch * 30 + i) + ": " + answer);
                }
            }
            ws.send("{\"type\":\"ping\"}");
            assertEquals("pong", ws.next(WAIT).path("type").asText(), "still open");
            try {
                for (int i = 0; i < 400 && !ws.isClosed(); i++) {
                    ws.send("{\"type\":\"ack\",\"message_ids\":[\"flood-" + i + "\"]}");
                }
            } catch (RuntimeException closedWhileSending) {
                // the server cut the flood: what the close code below says
            }
            assertEquals(4429, ws.awaitClose(WAIT).code(), "over dialects.topics.max_acks_per_second (100, burst 200)");
        }
    }

    @Test
    void metrics_countTheDialectsMessagesUnderItsLabel() {
        api.publish("metered", "{}");
        String metrics = jar.get("/metrics");
        assertTrue(metrics.contains("relaymesh_topics_messages_published_total{dialect=\"topics\",outcome=\"accepted\"}"),
                metrics.lines().filter(l -> l.contains("topics")).toList().toString());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Asserts a 200. */
    private static final class HttpResponseCheck {
        static void ok(TopicsHttp.Answer answer) {
            assertEquals(200, answer.status(), answer.text());
        }
    }

    /**
     * Publishes share commits (group commit) and live delivery does not wait for them, but every
     * publish that was answered is in the file: 200 concurrent publishes, then {@code kill -9}, then
     * a restart on the same store; the consumer polls all 200, once each.
     */
    @Test
    void everyAnsweredPublish_survivesKillMinus9AndARestart(@TempDir Path dir) throws Exception {
        int port = JarProcess.freePort();
        Map<String, String> env = TopicsHttp.env(JarProcess.safeEnv(port), Map.of(
                "RELAYMESH_DIALECTS_TOPICS_STORE_PATH", dir.resolve("topics.db").toString()));
        String token = TopicsHttp.jwt("hugo");
        List<String> answered = java.util.Collections.synchronizedList(new ArrayList<>());
        try (JarProcess doomed = JarProcess.start(port, env, 0).awaitUp()) {
            TopicsHttp first = new TopicsHttp(port);
            first.poll(token, "durable", 0, "hugo-1"); // the consumer starts: what follows is pending
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
                for (int i = 0; i < 200; i++) {
                    int n = i;
                    pool.submit(() -> answered.add(first.publish("durable", "{\"n\":" + n + "}").body()
                            .path("message_id").asText()));
                }
            }
            assertEquals(200, answered.size(), "every publish answered 200");
            doomed.process.destroyForcibly(); // SIGKILL: no shutdown hook, no close of the store
            doomed.process.waitFor();
        }
        try (JarProcess again = JarProcess.start(port, env, 0).awaitUp()) {
            TopicsHttp second = new TopicsHttp(port);
            List<String> polled = new ArrayList<>();
            while (polled.size() < 200) {
                List<String> batch = TopicsHttp.idsOf(second.poll(token, "durable", 0, "hugo-1"));
                if (batch.isEmpty()) {
                    break;
                }
                polled.addAll(batch);
                TopicsHttp.Answer ack = second.ack(token, "hugo-1", batch);
                assertEquals(batch.size(), ack.body().path("acknowledged").asInt(), ack.text());
            }
            java.util.Set<String> lost = new java.util.HashSet<>(answered);
            polled.forEach(lost::remove);
            assertEquals(0, lost.size(), lost.size() + " answered publishes lost to kill -9, e.g. "
                    + lost.stream().limit(3).toList());
            assertEquals(200, polled.size(), "none twice");
        }
    }
}
