package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/** A real WebSocket client (the JDK's) that records frames, pings and the close it gets. */
final class WsClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A close received from the server. */
    record Closed(int code, String reason) {
    }

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    final AtomicInteger pings = new AtomicInteger();
    final AtomicInteger pongs = new AtomicInteger();
    private final WebSocket ws;
    private final boolean autoRead;

    private WsClient(URI uri, String headerApiKey, boolean autoRead) {
        this(HttpClient.newHttpClient(), uri, headerApiKey, autoRead);
    }

    private WsClient(HttpClient http, URI uri, String headerApiKey, boolean autoRead) {
        this(http, uri, headerApiKey == null ? java.util.Map.of() : java.util.Map.of("X-API-Key", headerApiKey),
                java.util.List.of(), autoRead);
    }

    private WsClient(HttpClient http, URI uri, java.util.Map<String, String> headers, java.util.List<String> subprotocols,
                     boolean autoRead) {
        this.autoRead = autoRead;
        WebSocket.Builder builder = http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.getFirst(), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        this.ws = builder.buildAsync(uri, new Listener()).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** With extra upgrade headers (e.g. Authorization) and offered subprotocols (a browser's only way to send a token). */
    static WsClient connect(URI uri, java.util.Map<String, String> headers, java.util.List<String> subprotocols) {
        return new WsClient(HttpClient.newHttpClient(), uri, headers, subprotocols, true);
    }

    /** The subprotocol the server accepted ("" when none). */
    String subprotocol() {
        return ws.getSubprotocol();
    }

    static WsClient connect(URI uri) {
        return new WsClient(uri, null, true);
    }

    /** Through {@code http}, e.g. a client whose SSLContext trusts a test certificate ({@code wss://}). */
    static WsClient connect(HttpClient http, URI uri) {
        return new WsClient(http, uri, null, true);
    }

    static WsClient connectWithHeader(URI uri, String apiKey) {
        return new WsClient(uri, apiKey, true);
    }

    /** A client that reads only one message at a time when told to (to simulate a slow reader). */
    static WsClient connectManual(URI uri) {
        return new WsClient(uri, null, false);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(autoRead ? Long.MAX_VALUE : 1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            pings.incrementAndGet();
            if (!autoRead) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            pongs.incrementAndGet();
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Closed(-1, String.valueOf(error)));
        }
    }

    /** Lets a manual client read {@code n} more messages. */
    void request(long n) {
        ws.request(n);
    }

    /** The next frame as JSON, failing after {@code timeout}. */
    JsonNode next(Duration timeout) {
        try {
            String frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                fail("no frame within " + timeout);
            }
            return JSON.readTree(frame);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    JsonNode next() {
        return next(Duration.ofSeconds(5));
    }

    /** The next frame if one arrives within {@code timeout}, else null. */
    JsonNode poll(Duration timeout) {
        try {
            String frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return frame == null ? null : JSON.readTree(frame);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    void expectReady() {
        JsonNode frame = next();
        assertEquals("ready", frame.path("type").asText(), "expected ready, got " + frame);
    }

    /** Expects an error frame with {@code code}, then a close with {@code closeCode}. */
    JsonNode expectErrorAndClose(String code, int closeCode) {
        JsonNode frame = next();
        assertEquals("error", frame.path("type").asText(), "expected an error frame, got " + frame);
        assertEquals(code, frame.path("payload").path("code").asText(), "error code in " + frame);
        assertNotNull(frame.path("payload").path("message").asText(null));
        Closed close = awaitClose(Duration.ofSeconds(5));
        assertEquals(closeCode, close.code(), "close code (reason " + close.reason() + ")");
        return frame;
    }

    Closed awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no close within " + timeout, e);
        }
    }

    boolean isClosed() {
        return closed.isDone();
    }

    void send(String text) {
        ws.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    void ping() {
        ws.sendPing(ByteBuffer.wrap(new byte[]{1, 2, 3})).orTimeout(5, TimeUnit.SECONDS).join();
    }

    int buffered() {
        return frames.size();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS).join();
            } catch (RuntimeException ignored) {
                // already closing
            }
        }
        ws.abort();
    }
}
