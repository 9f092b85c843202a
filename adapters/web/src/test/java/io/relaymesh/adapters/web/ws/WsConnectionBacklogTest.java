package io.relaymesh.adapters.web.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.SocketContext;
import io.helidon.websocket.WsSession;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.relaymesh.adapters.web.metrics.MicrometerGatewayMetrics;
import io.relaymesh.application.connection.ClientConnection.Offer;
import io.relaymesh.application.connection.ServerMessage;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.testkit.PrimaryEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The writer's back-pressure policy against a socket the test holds shut: a reading client gets
 * every frame of a burst however far past the buffer size, and only a socket that stopped
 * draining (or a backlog past the byte limits) brings drop_oldest, block or the hard limit.
 */
class WsConnectionBacklogTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerGatewayMetrics metrics = new MicrometerGatewayMetrics(registry);
    private final HeldSocket socket = new HeldSocket();

    @AfterEach
    void stop() {
        socket.open();
        writers.shutdownNow();
    }

    @Test
    void burstFarPastTheBufferSize_toASocketThatDrains_isWrittenWhole_inOrder_withNothingDropped() {
        WsConnection connection = connection(settings(4, true, LONG, 1 << 20, 16 << 20));
        connection.offer(new ServerMessage.Ready());
        socket.awaitBlocked(); // ready is being written: everything offered now waits behind it
        for (int i = 0; i < 1000; i++) {
            assertEquals(Offer.QUEUED, connection.offer(event("e" + i, 10)));
        }
        assertEquals(1000, connection.queued(), "a burst is queued whole while one write is in progress");

        socket.open();

        awaitTrue("all written", () -> socket.events().size() == 1000);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            expected.add("e" + i);
        }
        assertEquals(expected, socket.events());
        assertEquals(0, dropped("drop_oldest") + dropped("slow_consumer") + dropped("backlog_limit"));
        awaitTrue("backlog empty", () -> connection.backlogBytes() == 0);
    }

    @Test
    void socketStalledPastTheTimeout_underDropOldest_keepsTheNewestBufferSizeEvents_andCountsEachDrop() {
        WsConnection connection = connection(settings(4, true, Duration.ofMillis(100), 1 << 20, 16 << 20));
        connection.offer(new ServerMessage.Ready());
        socket.awaitBlocked(); // ready is in flight, alone
        sleep(150); // the writer has finished no write for longer than the stall timeout

        for (int i = 0; i < 10; i++) {
            connection.offer(event("e" + i, 10));
        }

        assertEquals(4, connection.queued());
        assertEquals(6, dropped("drop_oldest"), "one drop counted per event beyond the buffer size");
        socket.open();
        awaitTrue("written", () -> socket.events().size() == 4);
        assertEquals(List.of("e6", "e7", "e8", "e9"), socket.events(), "the newest four were kept");
    }

    @Test
    void socketStalledBelowTheTimeout_keepsEveryEvent() {
        WsConnection connection = connection(settings(4, true, Duration.ofSeconds(5), 1 << 20, 16 << 20));
        connection.offer(new ServerMessage.Ready());
        socket.awaitBlocked();
        sleep(150);
        for (int i = 0; i < 50; i++) {
            assertEquals(Offer.QUEUED, connection.offer(event("e" + i, 10)));
        }
        assertEquals(50, connection.queued());
        assertEquals(0, dropped("drop_oldest"));
    }

    @Test
    void socketStalled_underBlock_waitsTheBlockTimeout_thenClosesWith1008() {
        WsConnection connection = connection(settings(4, false, Duration.ofMillis(100), 1 << 20, 16 << 20));
        connection.offer(new ServerMessage.Ready());
        socket.awaitBlocked();
        sleep(150);
        for (int i = 0; i < 4; i++) {
            assertEquals(Offer.QUEUED, connection.offer(event("e" + i, 10)), "within the buffer size");
        }

        long start = System.nanoTime();
        Offer offer = connection.offer(event("e4", 10));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(Offer.REJECTED, offer);
        assertTrue(waited >= 90, "block waits for the client first; waited " + waited + " ms");
        assertEquals(1, dropped("slow_consumer"));
        assertEquals(4, dropped("closed"), "the queued events are discarded, and counted");
        assertTrue(connection.isClosing());
        socket.open();
        awaitTrue("closed", () -> socket.closes().size() == 1);
        assertEquals("1008 SlowConsumer", socket.closes().getFirst());
        assertTrue(socket.errors().getFirst().contains("\"code\":\"SlowConsumer\""), socket.errors().toString());
    }

    @Test
    void underBlock_aClientThatFinishesAWriteWithinTheWait_keepsEveryEvent() throws Exception {
        WsConnection connection = connection(settings(4, false, Duration.ofSeconds(5), 1 << 20, 16 << 20,
                Duration.ofMillis(100)));
        connection.offer(new ServerMessage.Ready());
        socket.awaitBlocked();
        sleep(150);
        for (int i = 0; i < 4; i++) {
            connection.offer(event("e" + i, 10));
        }
        Thread reader = Thread.ofVirtual().start(() -> {
            sleep(200);
            socket.open();
        });

        Offer offer = connection.offer(event("e4", 10));
        long returned = System.nanoTime();
        reader.join();

        assertEquals(Offer.QUEUED, offer);
        assertTrue(returned > socket.openedNanos(), "the offer must wait until the client catches up");
        awaitTrue("all written", () -> socket.events().size() == 5);
        assertEquals(0, dropped("slow_consumer") + dropped("closed"));
    }

    @Test
    void backlogPastMaxBytes_makesAClientOverTheBufferSizeSlow_beforeAnyStall() {
        // Frames of ~100 bytes: 10 of them pass a 1,000-byte limit long before a 30 s stall.
        WsConnection connection = connection(settings(2, true, LONG, 1000, 1 << 20));
        connection.offer(new ServerMessage.Ready());
        socket.awaitBlocked();
        for (int i = 0; i < 20; i++) {
            connection.offer(event("e" + i, 80));
        }
        assertTrue(dropped("drop_oldest") > 0, "dropped " + dropped("drop_oldest"));
        assertEquals(2, connection.queued(), "dropped down to the buffer size");
        assertTrue(connection.backlogBytes() <= 1000, "backlog " + connection.backlogBytes());
    }

    @ParameterizedTest(name = "dropOldest={0}")
    @ValueSource(booleans = {true, false})
    void backlogPastTheHardLimit_closesWith1008NamingTheLimit_underEitherPolicy(boolean dropOldest) {
        // A buffer size no burst reaches: only the hard limit can cut this client.
        WsConnection connection = connection(settings(100_000, dropOldest, LONG, 1000, 4000));
        java.util.concurrent.CompletableFuture<Thread> endedOn = new java.util.concurrent.CompletableFuture<>();
        connection.onEnd(() -> endedOn.complete(Thread.currentThread()));
        connection.offer(new ServerMessage.Ready());
        socket.awaitBlocked();
        int offered = 0;
        while (!connection.isClosing() && offered < 1000) {
            connection.offer(event("e" + offered++, 300));
        }

        assertTrue(connection.isClosing(), "still open after " + offered + " events");
        assertTrue(offered >= 10 && offered <= 15, "cut after " + offered + " events of ~330 bytes");
        assertEquals(1, dropped("backlog_limit"));
        assertEquals(offered - 1, (int) dropped("closed"));
        assertEquals(0, dropped("drop_oldest") + dropped("slow_consumer"));
        Thread cleanUp = endedOn.orTimeout(10, TimeUnit.SECONDS).join();
        assertTrue(cleanUp != Thread.currentThread() && cleanUp.isVirtual(),
                "the session's clean-up must not run on the delivering thread (a transport's event loop)");
        socket.open();
        awaitTrue("closed", () -> socket.closes().size() == 1);
        assertEquals("1008 SlowConsumer (app.websocket_hard_backlog_bytes)", socket.closes().getFirst());
        assertTrue(socket.errors().getFirst().contains("app.websocket_hard_backlog_bytes (4000)"),
                socket.errors().toString());
    }

    @Test
    void aLoneEventLargerThanTheHardLimit_isWritten() {
        WsConnection connection = connection(settings(4, true, LONG, 1000, 4000));
        connection.offer(new ServerMessage.Ready());
        socket.open();
        awaitTrue("ready written", () -> socket.texts().size() == 1);
        awaitTrue("writer idle", () -> connection.backlogBytes() == 0);

        assertEquals(Offer.QUEUED, connection.offer(event("big", 10_000)));
        awaitTrue("written", () -> socket.events().equals(List.of("big")));
    }

    @Test
    void backlogBytes_countQueuedAndInFlightFrames_andReturnToZeroOnceWritten() {
        WsConnection connection = connection(settings(4, true, LONG, 1 << 20, 16 << 20));
        connection.offer(new ServerMessage.Ready());
        socket.awaitBlocked();
        ServerMessage.EventFrame frame = event("e0", 50);
        int wire = FrameCodec.utf8(frame).length + 2;
        connection.offer(frame);
        connection.offer(event("e1", 50));
        assertEquals(2L * wire, connection.backlogBytes());

        socket.open();
        awaitTrue("written", () -> socket.events().size() == 2);
        awaitTrue("backlog empty", () -> connection.backlogBytes() == 0);
    }

    @Test
    void repliesLeftUnread_areBounded_thenTheClientIsClosedAsSlow() {
        WsConnection connection = connection(settings(4, true, LONG, 1 << 20, 16 << 20));
        connection.offer(new ServerMessage.Ready());
        socket.awaitBlocked();
        for (int i = 0; i < OutboundQueue.MAX_QUEUED_REPLIES; i++) {
            assertEquals(Offer.QUEUED, connection.offer(new ServerMessage.Pong()));
        }
        assertEquals(Offer.REJECTED, connection.offer(new ServerMessage.Pong()));
        assertTrue(connection.isClosing());
        assertEquals(OutboundQueue.MAX_QUEUED_REPLIES + 2, connection.queuedControlFrames(),
                "the replies, then an error and the close; nothing more");
        assertEquals(Offer.REJECTED, connection.offer(new ServerMessage.Pong()));
        assertEquals(1, dropped("slow_consumer"));
    }

    @Test
    void pingsWhileNothingIsWritten_leaveOnePingQueued() {
        WsConnection connection = connection(settings(4, true, LONG, 1 << 20, 16 << 20));
        for (int i = 0; i < 10_000; i++) {
            connection.ping();
        }
        assertEquals(1, connection.queuedControlFrames());
    }

    private WsConnection connection(WriterSettings settings) {
        return new WsConnection(new ConnectionId("c-backlog"), socket, () -> settings, writers, metrics);
    }

    private static WriterSettings settings(int buffer, boolean dropOldest, Duration stall, long max, long hard) {
        return settings(buffer, dropOldest, Duration.ofMillis(100), max, hard, stall);
    }

    private static WriterSettings settings(int buffer, boolean dropOldest, Duration block, long max, long hard,
                                           Duration stall) {
        return new WriterSettings(buffer, dropOldest, block, stall, max, hard);
    }

    /** An event frame whose payload carries {@code id} and about {@code pad} more bytes. */
    private static ServerMessage.EventFrame event(String id, int pad) {
        String payload = "{\"event_id\":\"" + id + "\",\"pad\":\"" + "x".repeat(pad) + "\"}";
        return new ServerMessage.EventFrame(PrimaryEvents.event(id, PrimaryEvents.chats("c1", "a1"), payload, 0));
    }

    private double dropped(String reason) {
        return registry.get("relaymesh_websocket_messages_dropped").tag("reason", reason).counter().count();
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within 10 s: " + what);
            }
            sleep(5);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A session whose writes block while it is held (as a socket whose client does not read), and
     * record what they wrote once it is open.
     */
    private static final class HeldSocket implements WsSession {
        private final List<String> texts = new CopyOnWriteArrayList<>();
        private final List<String> closes = new CopyOnWriteArrayList<>();
        private final CountDownLatch opened = new CountDownLatch(1);
        private final CountDownLatch blocked = new CountDownLatch(1);
        private volatile long openedNanos = Long.MAX_VALUE;

        void open() {
            if (opened.getCount() > 0) {
                openedNanos = System.nanoTime();
            }
            opened.countDown();
        }

        long openedNanos() {
            return openedNanos;
        }

        /** Waits until a write is blocked on the held socket. */
        void awaitBlocked() {
            try {
                assertTrue(blocked.await(10, TimeUnit.SECONDS), "no write reached the socket");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        private void write() {
            blocked.countDown();
            try {
                opened.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("socket closed");
            }
        }

        List<String> texts() {
            return texts;
        }

        List<String> events() {
            return texts.stream().filter(t -> t.startsWith("{\"type\":\"event\""))
                    .map(t -> t.substring(t.indexOf("\"event_id\":\"") + 12, t.indexOf("\",\"pad\""))).toList();
        }

        List<String> errors() {
            return texts.stream().filter(t -> t.startsWith("{\"type\":\"error\"")).toList();
        }

        List<String> closes() {
            return closes;
        }

        public WsSession send(String text, boolean last) {
            write();
            texts.add(text);
            return this;
        }

        public WsSession send(BufferData data, boolean last) {
            write();
            return this;
        }

        public WsSession ping(BufferData data) {
            write();
            return this;
        }

        public WsSession pong(BufferData data) {
            write();
            return this;
        }

        public WsSession close(int code, String reason) {
            write();
            closes.add(code + " " + reason);
            return this;
        }

        public WsSession terminate() {
            return this;
        }

        public SocketContext socketContext() {
            return null;
        }
    }
}
