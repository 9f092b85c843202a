package io.relaymesh.adapters.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.testkit.PrimaryEvents;
import io.relaymesh.domain.model.PodId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The forwarder against real gRPC servers on loopback, one per simulated pod. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class GrpcPodForwarderTest {
    private static final PodId SELF = new PodId("pod-a");
    private static final PodId PEER = new PodId("pod-b");
    private static final PodId OTHER = new PodId("pod-c");
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final FakePodDirectory directory = new FakePodDirectory();
    private final RecordingListener listener = new RecordingListener();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        Collections.reverse(resources);
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void forward_reachesThePeersLocalDelivery_andReturnsTheAcceptedIds() throws Exception {
        RecordingDelivery peer = RecordingDelivery.acceptingAll();
        serve(PEER, peer);
        GrpcPodForwarder forwarder = forwarder(new TestSettings());

        List<Envelope> sent = events("e", 3);
        Set<String> accepted = await(forwarder.forward(PEER, sent));

        assertEquals(Set.of("e0", "e1", "e2"), accepted);
        assertEquals(List.of(sent), peer.calls(), "the peer receives the events unchanged, in one call");
        assertEquals(List.of(new RecordingListener.Sent(PEER, 3)), listener.sent);
    }

    @Test
    void partialAcceptance_isReported_afterRetryingOnlyTheEventsNotAccepted() throws Exception {
        Set<String> refused = Set.of("e1", "e3");
        RecordingDelivery peer = new RecordingDelivery((call, events) -> events.stream().map(Envelope::id)
                .filter(id -> !refused.contains(id)).collect(Collectors.toSet()));
        serve(PEER, peer);
        GrpcPodForwarder forwarder = forwarder(new TestSettings());

        Set<String> accepted = await(forwarder.forward(PEER, events("e", 4)));

        assertEquals(Set.of("e0", "e2"), accepted);
        List<List<Envelope>> calls = peer.calls();
        assertEquals(3, calls.size(), "one call and two retries");
        assertEquals(Set.of("e0", "e1", "e2", "e3"), RecordingDelivery.ids(calls.get(0)));
        assertEquals(refused, RecordingDelivery.ids(calls.get(1)));
        assertEquals(refused, RecordingDelivery.ids(calls.get(2)));
        assertEquals(List.of(new RecordingListener.Retry(PEER, 1), new RecordingListener.Retry(PEER, 2)),
                listener.retries);
        assertEquals(List.of(), listener.states(PEER), "a peer that answers keeps its circuit closed");
    }

    @Test
    void concurrentForwardsToOnePeer_areCoalescedIntoFewerCalls() throws Exception {
        RecordingDelivery peer = RecordingDelivery.slow(20);
        serve(PEER, peer);
        GrpcPodForwarder forwarder = forwarder(new TestSettings());
        int forwards = 200;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Set<String>>> results = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = IntStream.range(0, forwards).mapToObj(i -> Thread.startVirtualThread(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            results.add(forwarder.forward(PEER, List.of(event("e" + i))));
        })).toList();

        start.countDown();
        for (Thread thread : threads) {
            thread.join(WAIT);
        }

        Set<String> accepted = new HashSet<>();
        for (CompletableFuture<Set<String>> result : results) {
            Set<String> ids = await(result);
            assertEquals(1, ids.size(), "each forward reports its own event");
            accepted.addAll(ids);
        }
        assertEquals(forwards, accepted.size());
        assertTrue(peer.callCount() <= forwards / 4, "200 forwards took " + peer.callCount() + " calls");
        assertTrue(peer.acceptedCounts().values().stream().allMatch(n -> n == 1), "no event is sent twice");
    }

    @Test
    void aForwardLargerThanTheBatchSize_isSplitIntoSeveralCalls() throws Exception {
        RecordingDelivery peer = RecordingDelivery.acceptingAll();
        serve(PEER, peer);
        TestSettings settings = new TestSettings();
        settings.maxBatchEvents = 100;
        GrpcPodForwarder forwarder = forwarder(settings);

        Set<String> accepted = await(forwarder.forward(PEER, events("e", 250)));

        assertEquals(250, accepted.size());
        assertEquals(List.of(100, 100, 50), peer.calls().stream().map(List::size).toList());
    }

    @Test
    void aPeerWithoutLiveAddress_failsAtOnce() throws Exception {
        GrpcPodForwarder forwarder = forwarder(new TestSettings());
        failureOf(forwarder.forward(PEER, events("warm", 1)));

        long start = System.nanoTime();
        Throwable failure = failureOf(forwarder.forward(PEER, events("e", 1)));

        assertFasterThan(50, start);
        assertInstanceOf(PortUnavailableException.class, failure);
        assertTrue(failure.getMessage().contains("pod pod-b has no live address"), failure.getMessage());
        assertEquals(2, listener.failed.size(), "each failed forward is reported");
    }

    @Test
    void aPeerNotWarmedYet_isReportedAddedOnItsFirstForward_onlyOnce_andOthersSeparately() throws Exception {
        serve(PEER, RecordingDelivery.acceptingAll());
        serve(OTHER, RecordingDelivery.acceptingAll());
        GrpcPodForwarder forwarder = forwarder(new TestSettings());
        assertEquals(List.of(), listener.added, "no peer before the first forward");

        await(forwarder.forward(PEER, events("a", 1)));
        await(forwarder.forward(PEER, events("b", 1)));
        await(forwarder.forward(OTHER, events("c", 1)));

        assertEquals(List.of(PEER, OTHER), listener.added);
        assertEquals(List.of(), listener.circuit, "a new peer's closed circuit is no state change");
    }

    @Test
    void aStoppedPeer_isRetried_thenItsCircuitOpens_andForwardsFailFast() throws Exception {
        GrpcDeliveryServer server = serve(PEER, RecordingDelivery.acceptingAll());
        GrpcPodForwarder forwarder = forwarder(new TestSettings());
        await(forwarder.forward(PEER, events("warm", 1)));
        server.close();

        Throwable first = failureOf(forwarder.forward(PEER, events("e", 1)));

        assertInstanceOf(PortUnavailableException.class, first);
        assertEquals(Status.Code.UNAVAILABLE, statusOf(first));
        assertEquals(List.of(new RecordingListener.Retry(PEER, 1), new RecordingListener.Retry(PEER, 2)),
                listener.retries, "three attempts for the failed batch");
        openCircuit(forwarder);

        long start = System.nanoTime();
        Throwable rejected = failureOf(forwarder.forward(PEER, events("late", 1)));

        assertFasterThan(50, start);
        assertTrue(rejected.getMessage().contains("circuit of pod pod-b is open"), rejected.getMessage());
    }

    @Test
    void aPeerThatComesBack_halfOpensAndClosesItsCircuit_andForwardsSucceedAgain() throws Exception {
        RecordingDelivery delivery = RecordingDelivery.acceptingAll();
        GrpcDeliveryServer server = serve(PEER, delivery);
        int port = server.port();
        TestSettings settings = new TestSettings();
        GrpcPodForwarder forwarder = forwarder(settings);
        await(forwarder.forward(PEER, events("warm", 1)));
        server.close();
        openCircuit(forwarder);

        resources.add(GrpcDeliveryServer.start(port, delivery, settings.build()));
        Thread.sleep(settings.circuitOpenDelay.plusMillis(50));

        assertEquals(Set.of("back0"), await(forwarder.forward(PEER, events("back", 1))));
        // The new stream is the probe; its opening and the batch are the two successes that close it.
        assertEquals(List.of("open", "half_open", "closed"), listener.states(PEER));
        assertEquals(Set.of("again0"), await(forwarder.forward(PEER, events("again", 1))));
        assertEquals(List.of("open", "half_open", "closed"), listener.states(PEER));
    }

    @Test
    void aSlowPeer_doesNotDelayForwardsToAFastPeer() throws Exception {
        serve(PEER, RecordingDelivery.slow(1_000));
        serve(OTHER, RecordingDelivery.acceptingAll());
        GrpcPodForwarder forwarder = forwarder(new TestSettings());
        await(forwarder.forward(OTHER, events("warm", 1)));
        List<CompletableFuture<Set<String>>> slow = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            slow.add(forwarder.forward(PEER, events("slow" + i + "-", 10)));
        }

        long start = System.nanoTime();
        Set<String> fast = await(forwarder.forward(OTHER, events("fast", 1)));

        assertFasterThan(200, start);
        assertEquals(Set.of("fast0"), fast);
        assertTrue(slow.stream().noneMatch(CompletableFuture::isDone), "the slow peer is still busy");
        for (CompletableFuture<Set<String>> result : slow) {
            assertEquals(10, await(result).size(), "the slow peer gets its events too");
        }
    }

    @Test
    void anExceededDeadline_surfacesAsAFailure() throws Exception {
        serve(PEER, RecordingDelivery.slow(500));
        TestSettings settings = new TestSettings();
        settings.deadline = Duration.ofMillis(100);
        settings.retryMaxAttempts = 1;
        GrpcPodForwarder forwarder = forwarder(settings);

        Throwable failure = failureOf(forwarder.forward(PEER, events("e", 1)));

        assertInstanceOf(PortUnavailableException.class, failure);
        assertEquals(Status.Code.DEADLINE_EXCEEDED, statusOf(failure));
        assertTrue(failure.getMessage().contains("did not acknowledge batch 1 within 100 ms"), failure.getMessage());
        // The listener hears of it right after the forward's future fails, on the retrying thread.
        eventually("the failed batch is reported", () -> listener.failed.size() == 1);
        assertEquals(1, listener.failed.size(), "reported once");
    }

    @Test
    void aRetry_resendsOnlyTheEventsThePeerHasNotAccepted() throws Exception {
        // The first call takes only the first half (as with a full buffer); the retry must not
        // bring the other half's siblings back, which the per-id counts would show as duplicates.
        RecordingDelivery peer = new RecordingDelivery((call, events) -> call == 0
                ? RecordingDelivery.ids(events.subList(0, events.size() / 2))
                : RecordingDelivery.ids(events));
        serve(PEER, peer);
        GrpcPodForwarder forwarder = forwarder(new TestSettings());

        Set<String> accepted = await(forwarder.forward(PEER, events("e", 6)));

        assertEquals(RecordingDelivery.ids(events("e", 6)), accepted);
        assertEquals(Set.of("e3", "e4", "e5"), RecordingDelivery.ids(peer.calls().get(1)));
        assertEquals(2, peer.callCount());
        assertEquals(Map.of("e0", 1, "e1", 1, "e2", 1, "e3", 1, "e4", 1, "e5", 1), peer.acceptedCounts(),
                "every event accepted exactly once");
    }

    @Test
    void aFailedCall_isRetriedForThatPeerAlone() throws Exception {
        RecordingDelivery failing = new RecordingDelivery((call, events) -> {
            if (call == 0) {
                throw new IllegalStateException("buffer gone");
            }
            return RecordingDelivery.ids(events);
        });
        RecordingDelivery healthy = RecordingDelivery.acceptingAll();
        serve(PEER, failing);
        serve(OTHER, healthy);
        GrpcPodForwarder forwarder = forwarder(new TestSettings());

        CompletableFuture<Set<String>> toFailing = forwarder.forward(PEER, events("e", 2));
        CompletableFuture<Set<String>> toHealthy = forwarder.forward(OTHER, events("e", 2));

        assertEquals(Set.of("e0", "e1"), await(toFailing));
        assertEquals(Set.of("e0", "e1"), await(toHealthy));
        assertEquals(2, failing.callCount());
        assertEquals(1, healthy.callCount(), "the healthy peer does not get the events twice");
        assertEquals(List.of(new RecordingListener.Retry(PEER, 1)), listener.retries);
    }

    @Test
    void aForwardThatCannotProceed_stillCompletesWithinItsBound() throws Exception {
        serve(OTHER, RecordingDelivery.acceptingAll());
        TestSettings settings = new TestSettings();
        settings.deadline = Duration.ofMillis(200);
        settings.retryMaxAttempts = 1;
        GrpcPodForwarder forwarder = forwarder(settings);
        long bound = settings.build().maxForwardTime().toMillis();
        directory.hang(PEER);
        try {
            long start = System.nanoTime();
            CompletableFuture<Set<String>> stuck = forwarder.forward(PEER, events("e", 1));

            assertEquals(Set.of("x0"), await(forwarder.forward(OTHER, events("x", 1))), "other peers go on");
            Throwable failure = failureOf(stuck);

            assertFasterThan(bound + 500, start);
            assertTrue(failure.getMessage().contains("not answered within " + bound + " ms"), failure.getMessage());
        } finally {
            directory.release(PEER);
        }
    }

    @Test
    void aPeerThatMoved_isReachedAtItsNewAddress() throws Exception {
        RecordingDelivery before = RecordingDelivery.acceptingAll();
        RecordingDelivery after = RecordingDelivery.acceptingAll();
        serve(PEER, before);
        GrpcPodForwarder forwarder = forwarder(new TestSettings());
        await(forwarder.forward(PEER, events("old", 1)));

        serve(PEER, after);
        forwarder.syncPeers(); // the directory watcher learns the new address
        await(forwarder.forward(PEER, events("new", 1)));

        assertEquals(1, before.callCount());
        assertEquals(1, after.callCount());
        assertEquals(1, forwarder.openChannels());
    }

    @Test
    void anIdleChannel_isClosed_andReopenedOnTheNextForward() throws Exception {
        serve(PEER, RecordingDelivery.acceptingAll());
        TestSettings settings = new TestSettings();
        settings.channelIdleTimeout = Duration.ofMillis(100);
        GrpcPodForwarder forwarder = forwarder(settings);
        await(forwarder.forward(PEER, events("e", 1)));
        assertEquals(1, forwarder.openChannels());

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (forwarder.openChannels() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        assertEquals(0, forwarder.openChannels(), "the idle channel is closed");
        assertEquals(Set.of("later0"), await(forwarder.forward(PEER, events("later", 1))));
    }

    @Test
    void aPeerInTheDirectory_getsItsStreamOpenedBeforeAnyForward_andKeepsIt() throws Exception {
        RecordingDelivery peer = RecordingDelivery.acceptingAll();
        serve(PEER, peer);
        directory.heartbeat(SELF, "127.0.0.1:1", Duration.ofMinutes(1)); // this pod is listed too
        GrpcPodForwarder forwarder = forwarder(new TestSettings());

        forwarder.syncPeers();

        eventually("the stream to pod-b is open", () -> forwarder.streamOpen(PEER) && !listener.opened.isEmpty());
        assertEquals(List.of(PEER), listener.warmed, "warmed once, and never towards itself");
        assertEquals(List.of(PEER), listener.opened);
        assertEquals(0, peer.callCount(), "nothing was forwarded");
        forwarder.syncPeers();
        assertEquals(Set.of("e0"), await(forwarder.forward(PEER, events("e", 1))));
        assertEquals(List.of(PEER), listener.opened, "the forward went on the warm stream");
        assertEquals(List.of(PEER), listener.added);
    }

    @Test
    void aWarmUp_rehearsesThePathWithAnEmptyBatch_thatCountsNowhere_evenWhenThePeerCannotBeReached()
            throws Exception {
        RecordingDelivery peer = RecordingDelivery.acceptingAll();
        serve(PEER, peer);
        directory.heartbeat(OTHER, "127.0.0.1:1", Duration.ofMinutes(1)); // nobody listens there
        GrpcPodForwarder forwarder = forwarder(new TestSettings());

        forwarder.syncPeers();

        eventually("the stream to pod-b is open", () -> forwarder.streamOpen(PEER) && !listener.opened.isEmpty());
        Thread.sleep(300); // the rehearsal to pod-b is answered; the one to pod-c fails
        assertEquals(List.of(), listener.sent, "no batch of events was sent");
        assertEquals(List.of(), listener.failed, "no forward failed");
        assertEquals(List.of(), listener.retries);
        assertEquals(0, peer.callCount(), "nothing reached the peer's sockets");
        assertEquals(Set.of(PEER, OTHER), Set.copyOf(listener.warmed));
    }

    @Test
    void aWarmPeer_keepsItsStreamWhenIdle_andAPeerThatLeavesTheDirectory_hasItClosed() throws Exception {
        serve(PEER, RecordingDelivery.acceptingAll());
        TestSettings settings = new TestSettings();
        settings.channelIdleTimeout = Duration.ofMillis(100);
        GrpcPodForwarder forwarder = forwarder(settings);
        forwarder.syncPeers();
        eventually("the stream to pod-b is open", () -> forwarder.streamOpen(PEER));

        Thread.sleep(500); // ten idle sweeps

        assertTrue(forwarder.streamOpen(PEER), "idleness does not undo warming");
        directory.remove(PEER);
        forwarder.syncPeers();
        assertEquals(0, forwarder.openChannels());
        assertFalse(forwarder.streamOpen(PEER));
    }

    @Test
    void aWarmPeersStream_isReopenedWithoutAnyForward_whenItsConnectionBreaks() throws Exception {
        RecordingDelivery delivery = RecordingDelivery.acceptingAll();
        GrpcDeliveryServer server = serve(PEER, delivery);
        TcpProxy network = new TcpProxy(server.port());
        resources.add(network);
        directory.heartbeat(PEER, "127.0.0.1:" + network.port(), Duration.ofMinutes(1));
        GrpcPodForwarder forwarder = forwarder(new TestSettings());
        forwarder.syncPeers();
        eventually("the stream to pod-b is open", () -> forwarder.streamOpen(PEER) && listener.opened.size() == 1);

        network.cutConnections(); // no goodbye: as a crash or a network failure

        eventually("a new stream is open", () -> listener.opened.size() >= 2 && forwarder.streamOpen(PEER));
        assertEquals(0, delivery.callCount());
        assertEquals(List.of(PEER), listener.warmed, "the lane stayed; only its stream was replaced");
        assertEquals(Set.of("e0"), await(forwarder.forward(PEER, events("e", 1))));
    }

    @Test
    void aPeerThatLeaves_isNotKnockedOn_untilItIsHeardOfAgain() throws Exception {
        RecordingDelivery delivery = RecordingDelivery.acceptingAll();
        GrpcDeliveryServer server = serve(PEER, delivery);
        int port = server.port();
        GrpcPodForwarder forwarder = forwarder(new TestSettings());
        forwarder.syncPeers();
        eventually("the stream to pod-b is open", () -> forwarder.streamOpen(PEER) && listener.opened.size() == 1);

        server.close(); // a graceful stop: it says it is leaving
        resources.add(GrpcDeliveryServer.start(port, delivery, new TestSettings().build()));
        forwarder.syncPeers(); // still in the directory, at the same address
        Thread.sleep(500);

        assertFalse(forwarder.streamOpen(PEER), "no stream to a pod that left, until there is a reason");
        assertEquals(List.of(), listener.circuit, "leaving is not a failure");
        forwarder.peerReachedUs(PEER); // it is back: it opened its own stream to us
        eventually("a new stream is open", () -> listener.opened.size() == 2 && forwarder.streamOpen(PEER));
    }

    @Test
    void aPeerThatOpensItsStreamToUs_getsOneBackAtOnce_withoutWaitingForTheDirectoryWatcher() throws Exception {
        GrpcPodForwarder podA = forwarder(new TestSettings());
        GrpcDeliveryServer serverA = GrpcDeliveryServer.start(0, RecordingDelivery.acceptingAll(),
                new TestSettings().build(), PodSecurity.none(), DeliveryServerListener.NOOP, podA::peerReachedUs);
        resources.add(serverA);
        directory.heartbeat(SELF, "127.0.0.1:" + serverA.port(), Duration.ofMinutes(1));
        serve(PEER, RecordingDelivery.acceptingAll());
        GrpcPodForwarder podB = new GrpcPodForwarder(directory, PEER, new TestSettings().build(),
                ForwarderListener.NOOP);
        resources.add(podB);

        podB.syncPeers(); // pod-b joins and warms its stream to pod-a

        eventually("pod-a has a stream to pod-b", () -> podA.streamOpen(PEER));
        assertEquals(List.of(PEER), listener.warmed);
    }

    @Test
    void aBatchInFlightWhenItsStreamBreaks_isResentOnTheNextStream() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        RecordingDelivery first = new RecordingDelivery((call, events) -> {
            stuck.countDown();
            Thread.sleep(60_000);
            return RecordingDelivery.ids(events);
        });
        GrpcDeliveryServer server = serve(PEER, first);
        int port = server.port();
        TestSettings settings = new TestSettings();
        settings.deadline = Duration.ofSeconds(10); // the break, not the deadline, ends the first stream
        settings.retryMaxAttempts = 10;
        settings.retryInitialDelay = Duration.ofMillis(50);
        GrpcPodForwarder forwarder = forwarder(settings);
        CompletableFuture<Set<String>> result = forwarder.forward(PEER, events("e", 2));
        assertTrue(stuck.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));

        server.close(); // waits its close timeout for the batch, then cancels the stream
        RecordingDelivery second = RecordingDelivery.acceptingAll();
        resources.add(GrpcDeliveryServer.start(port, second, settings.build()));

        assertEquals(Set.of("e0", "e1"), await(result));
        assertEquals(Set.of("e0", "e1"), RecordingDelivery.ids(second.calls().getFirst()));
        assertFalse(listener.retries.isEmpty());
        assertEquals(2, listener.opened.size(), "sent again on a new stream");
    }

    @Test
    void aFullQueue_failsNewForwardsAtOnce() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        serve(PEER, new RecordingDelivery((call, events) -> {
            busy.countDown();
            Thread.sleep(300);
            return RecordingDelivery.ids(events);
        }));
        TestSettings settings = new TestSettings();
        settings.maxBatchEvents = 5;
        settings.maxQueuedEventsPerPeer = 10;
        GrpcPodForwarder forwarder = forwarder(settings);
        CompletableFuture<Set<String>> inFlight = forwarder.forward(PEER, events("a", 5));
        assertTrue(busy.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        CompletableFuture<Set<String>> queued = forwarder.forward(PEER, events("b", 5));

        long start = System.nanoTime();
        Throwable failure = failureOf(forwarder.forward(PEER, events("c", 1)));

        assertFasterThan(50, start);
        assertTrue(failure.getMessage().contains("more than 10 events queued or in flight"), failure.getMessage());
        assertEquals(5, await(inFlight).size());
        assertEquals(5, await(queued).size());
    }

    @Test
    void close_shutsDownTheChannels_andLaterForwardsFail() throws Exception {
        serve(PEER, RecordingDelivery.acceptingAll());
        GrpcPodForwarder forwarder = forwarder(new TestSettings());
        await(forwarder.forward(PEER, events("e", 1)));

        forwarder.close();

        assertEquals(0, forwarder.openChannels());
        Throwable failure = failureOf(forwarder.forward(PEER, events("late", 1)));
        assertTrue(failure.getMessage().contains("closed"), failure.getMessage());
    }

    // --- helpers ---

    @Test
    void aDeliveryThatCannotBlock_runsOnTheTransportThread_andOneThatMay_onAVirtualThread() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean mayBlock = new java.util.concurrent.atomic.AtomicBoolean(false);
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        serve(PEER, new LocalDelivery() {
            @Override
            public Set<String> deliver(List<Envelope> events) {
                Thread t = Thread.currentThread();
                threads.add((t.isVirtual() ? "virtual " : "platform ") + t.getName());
                return RecordingDelivery.ids(events);
            }

            @Override
            public boolean mayBlock() {
                return mayBlock.get();
            }
        });
        GrpcPodForwarder forwarder = forwarder(new TestSettings());

        assertEquals(Set.of("n0"), await(forwarder.forward(PEER, events("n", 1))));
        mayBlock.set(true); // as a reload to the block policy does: the next call moves off the transport
        assertEquals(Set.of("b0"), await(forwarder.forward(PEER, events("b", 1))));

        assertEquals(2, threads.size(), threads.toString());
        assertTrue(threads.get(0).startsWith("platform grpc-"), "on a Netty transport thread: " + threads);
        assertTrue(threads.get(1).startsWith("virtual relaymesh-grpc-server-"), "on a virtual thread: " + threads);
    }

    private GrpcDeliveryServer serve(PodId pod, LocalDelivery delivery) {
        GrpcDeliveryServer server = GrpcDeliveryServer.start(0, delivery, new TestSettings().build());
        resources.add(server);
        directory.heartbeat(pod, "127.0.0.1:" + server.port(), Duration.ofMinutes(1));
        return server;
    }

    private GrpcPodForwarder forwarder(TestSettings settings) {
        GrpcPodForwarder forwarder = new GrpcPodForwarder(directory, SELF, settings.build(), listener);
        resources.add(forwarder);
        return forwarder;
    }

    /** Forwards to the stopped peer until its circuit opens (5 consecutive failed calls). */
    private void openCircuit(GrpcPodForwarder forwarder) throws Exception {
        for (int i = 0; i < 5 && !listener.states(PEER).contains("open"); i++) {
            failureOf(forwarder.forward(PEER, events("down" + i + "-", 1)));
        }
        assertEquals(List.of("open"), listener.states(PEER));
    }

    static Envelope event(String id) {
        return PrimaryEvents.event(id, PrimaryEvents.chats("c1", "a1"), "{\"id\":\"" + id + "\"}", 1_700_000_000_000L);
    }

    static List<Envelope> events(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> event(prefix + i)).toList();
    }

    private static Set<String> await(CompletableFuture<Set<String>> future) throws Exception {
        return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        try {
            future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        return fail("expected the forward to fail");
    }

    private static Status.Code statusOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StatusRuntimeException e) {
                return e.getStatus().getCode();
            }
        }
        return fail("no gRPC status in " + failure);
    }

    private static void eventually(String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + WAIT + ": " + what);
            }
            Thread.sleep(10);
        }
    }

    private static void assertFasterThan(long millis, long startNanos) {
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        assertTrue(elapsed < millis, "took " + elapsed + " ms, expected under " + millis + " ms");
    }
}
