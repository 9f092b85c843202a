package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pod that joins a running cluster gets the first events forwarded to it as fast as any later
 * one: the running pod opened its stream to the new pod when that pod appeared, not on the first
 * event. Both pods are the packaged jar in processes of their own (so the running pod's JVM has
 * never opened a gRPC channel before the new pod appears), on real Redis and NATS JetStream.
 */
@ExtendWith(RealServices.class)
class PodJoinIT {
    /** The bound for the first forwarded events, from the publish request to the frame. */
    private static final long FIRST_EVENTS_MILLIS = 50;
    /** How many of the first forwarded events are held to it. */
    private static final int FIRST_EVENTS = 3;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static RedisServer redis;
    private static NatsServer nats;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        redis = RealServices.newRedis();
        nats = RealServices.newNats();
    }

    @AfterAll
    static void stop() {
        nats.close();
        redis.close();
    }

    @Test
    void aPodThatJoins_getsTheFirstEventsForwardedToIt_inUnder50Ms() throws Exception {
        try (JarProcess first = pod("pod-first")) {
            // The running pod's own path (HTTP publish, JetStream, its sockets) is warm; it has no peer yet.
            try (WsClient local = WsClient.connect(userUri(first, "acme", "warm", "bob"))) {
                local.expectReady();
                for (int i = 0; i < 20; i++) {
                    publish(first, "websocket.acme.warm.chats", "w-" + i);
                    assertEquals("w-" + i, eventId(local.next(WAIT)));
                }
            }
            assertEquals(0.0, metric(first, "relaymesh_grpc_stream_opens_total{peer=\"pod-joiner\"}"));

            try (JarProcess joiner = pod("pod-joiner")) {
                // Clients reach a pod once it is ready (as behind a load balancer or a Kubernetes Service).
                GatewayHarness.eventually(WAIT, "pod-joiner ready", () -> ready(joiner));
                try (WsClient client = WsClient.connect(userUri(joiner, "acme", "join", "alice"))) {
                    client.expectReady();
                    // The first pod warmed its stream when the joiner appeared, before any event for it.
                    assertEquals(1.0, metric(first, "relaymesh_grpc_warmups_total{peer=\"pod-joiner\"}"),
                            first.tail(40));
                    assertTrue(metric(first, "relaymesh_grpc_stream_opens_total{peer=\"pod-joiner\"}") >= 1.0);

                    List<Long> forwarded = firstForwardedLatencies(first, client);

                    for (int i = 0; i < forwarded.size(); i++) {
                        assertTrue(forwarded.get(i) < FIRST_EVENTS_MILLIS, "forwarded event " + (i + 1) + " took "
                                + forwarded.get(i) + " ms; all: " + forwarded);
                    }
                    assertEquals(1.0, metric(first, "relaymesh_grpc_warmups_total{peer=\"pod-joiner\"}"),
                            "no second warm-up");
                }
            }
        }
    }

    /**
     * Publishes events one at a time on the first pod until {@value #FIRST_EVENTS} of them were
     * forwarded; returns their latencies from the publish request to the frame, in order. Either
     * pod may consume an event (they share a queue group): those the first pod consumed reached
     * the client on the joiner through the stream.
     */
    private List<Long> firstForwardedLatencies(JarProcess first, WsClient client) {
        List<Long> forwarded = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 60 && forwarded.size() < FIRST_EVENTS; i++) {
            double consumedBefore = consumed(first);
            String id = "j-" + i;
            long start = System.nanoTime();
            publish(first, "websocket.acme.join.chats", id);
            JsonNode frame = client.next(WAIT);
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertEquals(id, eventId(frame));
            boolean viaFirst = consumed(first) > consumedBefore;
            all.add(id + (viaFirst ? " forwarded " : " local ") + millis + " ms");
            if (viaFirst) {
                forwarded.add(millis);
            }
        }
        System.out.println("PodJoinIT: " + all);
        assertEquals(FIRST_EVENTS, forwarded.size(), "too few events were consumed by the first pod: " + all);
        return forwarded;
    }

    private boolean ready(JarProcess pod) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pod.port + "/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static JarProcess pod(String podId) throws Exception {
        int port = JarProcess.freePort();
        Map<String, String> cluster = GatewayHarness.clusterEnv(podId, redis.address(), nats.url());
        for (int i = 0; i < 10 && cluster.get("RELAYMESH_SERVER_GRPC_PORT").equals(String.valueOf(port)); i++) {
            cluster = GatewayHarness.clusterEnv(podId, redis.address(), nats.url()); // the OS handed out one port twice
        }
        Map<String, String> env = new HashMap<>(JarProcess.keyedEnv(port));
        env.putAll(cluster);
        return JarProcess.start(port, env, 0).awaitUp();
    }

    private URI userUri(JarProcess pod, String company, String agent, String user) {
        String body = "{\"company_id\":\"" + company + "\",\"agent_id\":\"" + agent + "\",\"user_id\":\"" + user
                + "\",\"expires_in_seconds\":600}";
        HttpResponse<String> response = post(pod, "/generate-token", GatewayHarness.GENERAL_KEY, body);
        assertEquals(200, response.statusCode(), response.body());
        String token = GatewayHarness.json(response.body()).path("token").asText();
        return URI.create("ws://127.0.0.1:" + pod.port + "/ws/" + company + "/" + agent + "?token="
                + GatewayHarness.q(token) + "&x-api-key=" + GatewayHarness.q(GatewayHarness.GENERAL_KEY));
    }

    private void publish(JarProcess pod, String subject, String eventId) {
        HttpResponse<String> response = post(pod, "/api/v1/publish", GatewayHarness.ADMIN_KEY,
                "{\"subject\":\"" + subject + "\",\"payload\":{\"event_id\":\"" + eventId + "\"}}");
        assertEquals(200, response.statusCode(), response.body());
    }

    private HttpResponse<String> post(JarProcess pod, String path, String apiKey, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pod.port + path))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("X-API-Key", apiKey)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("POST " + path + " failed", e);
        }
    }

    private static String eventId(JsonNode frame) {
        return frame.path("payload").path("event_id").asText();
    }

    private static double consumed(JarProcess pod) {
        return metric(pod, "relaymesh_stream_events_total{outcome=\"consumed\"}");
    }

    /** The value of {@code series} in the pod's /metrics, 0 when absent. */
    private static double metric(JarProcess pod, String series) {
        for (String line : pod.get("/metrics").split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }
}
