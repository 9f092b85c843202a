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
class ConnectionTrackerTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void closeAll_returnsOnlyOnceEveryCloseFrameIsWritten_thoughTheConnectionsLeaveTheSetAtOnce() {
        ConnectionTracker tracker = new ConnectionTracker(
                () -> new LivenessSettings(Duration.ofSeconds(30), Duration.ofSeconds(60)), 10);
        // A writer that starts each task 300 ms late, as a busy pod's writers may.
        Executor slowWriters = task -> threads.execute(() -> {
            sleep(300);
            task.run();
        });
        RecordingSession first = new RecordingSession();
        RecordingSession second = new RecordingSession();
        for (RecordingSession session : List.of(first, second)) {
            WsConnection connection = connection(session, slowWriters);
            connection.onEnd(() -> tracker.remove(connection));
            assertTrue(tracker.add(connection));
        }

        int unfinished = tracker.closeAll(1001, "server shutting down",
                System.nanoTime() + TimeUnit.SECONDS.toNanos(3));

        assertEquals(0, unfinished);
        assertEquals(0, tracker.size(), "closed connections leave the set at once");
        assertEquals(List.of("close 1001 server shutting down"), first.frames);
        assertEquals(List.of("close 1001 server shutting down"), second.frames);
    }

    @Test
    void closeAll_givesUpAtTheDeadline_andCountsTheFramesNotWritten() {
        ConnectionTracker tracker = new ConnectionTracker(
                () -> new LivenessSettings(Duration.ofSeconds(30), Duration.ofSeconds(60)), 10);
        Executor stuckWriters = task -> { }; // never runs: the close frame cannot be written
        RecordingSession session = new RecordingSession();
        WsConnection connection = connection(session, stuckWriters);
        connection.onEnd(() -> tracker.remove(connection));
        tracker.add(connection);

        long start = System.nanoTime();
        int unfinished = tracker.closeAll(1001, "server shutting down",
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200));

        assertEquals(1, unfinished);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waited >= 150 && waited < 2_000, "waited " + waited + " ms");
        assertTrue(session.frames.isEmpty());
    }

    private static WsConnection connection(RecordingSession session, Executor writers) {
        return new WsConnection(new ConnectionId("c-" + System.identityHashCode(session)), session,
                () -> new WriterSettings(16, true, Duration.ofMillis(100), Duration.ofSeconds(2), 1 << 20, 16 << 20),
                writers,
                new MicrometerGatewayMetrics(new SimpleMeterRegistry()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A WebSocket session that records what is written to it. */
    private static final class RecordingSession implements WsSession {
        final List<String> frames = new CopyOnWriteArrayList<>();

        @Override
        public WsSession send(String text, boolean last) {
            frames.add("text " + text);
            return this;
        }

        @Override
        public WsSession send(BufferData bufferData, boolean last) {
            frames.add("binary");
            return this;
        }

        @Override
        public WsSession ping(BufferData bufferData) {
            frames.add("ping");
            return this;
        }

        @Override
        public WsSession pong(BufferData bufferData) {
            frames.add("pong");
            return this;
        }

        @Override
        public WsSession close(int code, String reason) {
            frames.add("close " + code + " " + reason);
            return this;
        }

        @Override
        public WsSession terminate() {
            frames.add("terminate");
            return this;
        }

        @Override
        public SocketContext socketContext() {
            return null;
        }
    }
}
