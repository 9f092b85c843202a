package io.relaymesh.adapters.web.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.SocketContext;
import io.helidon.websocket.WsSession;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.relaymesh.adapters.web.metrics.MicrometerGatewayMetrics;
import io.relaymesh.domain.model.ConnectionId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shutdown: every socket gets its close frame before the server stops, even with a slow writer. */
class WsConnectionPongTest {
    @Test
    void manyPingsWhileNothingIsWritten_leaveOnePongQueued_carryingTheLatestData() {
        List<String> frames = new CopyOnWriteArrayList<>();
        WsSession session = new WsSession() {
            public WsSession send(String text, boolean last) {
                frames.add("text");
                return this;
            }

            public WsSession send(BufferData data, boolean last) {
                return this;
            }

            public WsSession ping(BufferData data) {
                return this;
            }

            public WsSession pong(BufferData data) {
                byte[] bytes = new byte[data.available()];
                data.read(bytes);
                frames.add("pong " + new String(bytes, java.nio.charset.StandardCharsets.US_ASCII));
                return this;
            }

            public WsSession close(int code, String reason) {
                return this;
            }

            public WsSession terminate() {
                return this;
            }

            public SocketContext socketContext() {
                return null;
            }
        };
        WsConnection connection = new WsConnection(new ConnectionId("c-pong"), session,
                () -> new WriterSettings(16, true, Duration.ofMillis(100), Duration.ofSeconds(2), 1 << 20, 16 << 20),
                Runnable::run,
                new MicrometerGatewayMetrics(new SimpleMeterRegistry()));

        // Nothing is written before ready, like a socket that does not drain.
        for (int i = 0; i < 60_000; i++) {
            connection.pong(("p" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        assertEquals(1, connection.queuedControlFrames());

        connection.offer(new io.relaymesh.application.connection.ServerMessage.Ready());
        assertEquals(List.of("text", "pong p59999"), frames);
    }
}
