package io.relaymesh.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A user's WebSocket (the JDK client) on one pod that records every frame in a {@link ClientTally}:
 * receipt time is taken when the last fragment of a frame arrives, before parsing; latency is that
 * minus the payload's {@code sent_at_nanos} (same JVM, so the same monotonic clock). Thread-safe.
 */
final class BenchClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String user;
    private final Pod pod;
    private final ClientTally tally;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final WebSocket ws;

    private BenchClient(HttpClient http, Pod pod, String company, String agent, String user, String token,
                        ClientTally tally) {
        this.user = user;
        this.pod = pod;
        this.tally = tally;
        // No key on the socket: the pods set no client key and refuse the server key there (safe default).
        URI uri = pod.ws("/ws/" + company + "/" + agent + "?token=" + encode(token));
        this.ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new Listener()).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Connects and waits for {@code ready} (at most 10 s). */
    static BenchClient connect(HttpClient http, Pod pod, String company, String agent, String user, String token,
                               String eventPrefix) {
        BenchClient client = new BenchClient(http, pod, company, agent, user, token, new ClientTally(eventPrefix));
        try {
            client.ready.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            client.close();
            throw new IllegalStateException("user " + user + " on " + pod.id() + " got no ready frame: "
                    + client.tally.lastOther(), e);
        }
        return client;
    }

    String user() {
        return user;
    }

    Pod pod() {
        return pod;
    }

    ClientTally tally() {
        return tally;
    }

    /** The close the server sent, or null while open. */
    String closedBy() {
        return closed.getNow(null);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                long now = System.nanoTime();
                String frame = partial.toString();
                partial.setLength(0);
                record(frame, now);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete("error: " + error);
            ready.completeExceptionally(error);
        }
    }

    private void record(String frame, long receivedNanos) {
        try {
            JsonNode root = JSON.readTree(frame);
            String type = root.path("type").asText();
            if (type.equals("event")) {
                JsonNode payload = root.path("payload");
                tally.event(payload.path("event_id").asText(null),
                        receivedNanos - payload.path("sent_at_nanos").asLong(receivedNanos));
            } else if (type.equals("ready")) {
                ready.complete(null);
            } else {
                tally.other(frame);
            }
        } catch (Exception e) {
            tally.other("unparsable: " + frame);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Sends a normal close and drops the connection after at most 2 s. */
    @Override
    public void close() {
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bench done").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Closing anyway below.
        } finally {
            ws.abort();
        }
    }
}
