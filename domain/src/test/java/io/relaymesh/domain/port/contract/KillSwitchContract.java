package io.relaymesh.domain.port.contract;

import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.KillSwitch;
import io.relaymesh.domain.port.KillSwitch.KillRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.relaymesh.domain.port.contract.Fixtures.unique;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What every {@link KillSwitch} adapter must do. Beyond the port's javadoc it pins down: a listener
 * is active when {@code listen} returns (a Redis adapter must wait for the subscription to be
 * confirmed), so a request sent right after is delivered; every listener of the victim's pod gets
 * the request; once its handle is closed a listener gets nothing; requests are not stored for
 * listeners that start later (publish/subscribe, not a queue); a handler that throws does not stop
 * later deliveries; a request arrives with its reason (take-over or kick).
 */
public abstract class KillSwitchContract {

    /** How long to wait for a request that should arrive. */
    private static final Duration ARRIVAL = Duration.ofSeconds(1);
    /** How long to watch for a request that should not arrive, once delivery is known to have happened. */
    private static final Duration QUIET = Duration.ofMillis(300);

    private KillSwitch killSwitch;
    private final List<AutoCloseable> handles = new ArrayList<>();

    /** A fresh adapter; tests close the listeners they open, subclasses close the adapter itself. */
    protected abstract KillSwitch createKillSwitch();

    @BeforeEach
    void createAdapter() {
        killSwitch = createKillSwitch();
    }

    @AfterEach
    void closeListeners() throws Exception {
        for (AutoCloseable handle : handles) {
            handle.close();
        }
    }

    @Test
    void killRequest_reachesListenerOfVictimPod_only() throws Exception {
        PodId victimPod = newPod();
        PodId otherPod = newPod();
        Inbox victimInbox = listen(victimPod);
        Inbox otherInbox = listen(otherPod);
        KillRequest request = newRequest(victimPod);

        assertTrue(killSwitch.requestKill(request), "a listening pod must be reported as reached");

        assertEquals(request, victimInbox.next(ARRIVAL), "the victim's pod must get the request unchanged");
        assertNull(otherInbox.next(QUIET), "another pod must not get the request");
    }

    @Test
    void killRequest_arrivesWithItsReason() throws Exception {
        PodId pod = newPod();
        Inbox inbox = listen(pod);
        KillRequest takeover = newRequest(pod);
        KillRequest kick = new KillRequest(newRequest(pod).key(), takeover.victim(), KillSwitch.Reason.KICK);

        killSwitch.requestKill(takeover);
        killSwitch.requestKill(kick);

        assertEquals(KillSwitch.Reason.TAKEOVER, inbox.next(ARRIVAL).reason());
        assertEquals(kick, inbox.next(ARRIVAL), "a kick must arrive as a kick");
    }

    @Test
    void killRequest_toAPodNobodyListensFor_isReportedUnreceived() throws Exception {
        assertFalse(killSwitch.requestKill(newRequest(newPod())), "no listener: the pod must count as gone");
        PodId pod = newPod();
        AutoCloseable handle = killSwitch.listen(pod, request -> { });
        handle.close();
        assertFalse(killSwitch.requestKill(newRequest(pod)), "a closed listener no longer counts");
    }

    @Test
    void everyListenerOfVictimPod_receivesRequest() throws Exception {
        PodId pod = newPod();
        Inbox first = listen(pod);
        Inbox second = listen(pod);
        KillRequest request = newRequest(pod);

        killSwitch.requestKill(request);

        assertEquals(request, first.next(ARRIVAL));
        assertEquals(request, second.next(ARRIVAL));
    }

    @Test
    void handler_runsOffTheRequestingThread() throws Exception {
        PodId pod = newPod();
        BlockingQueue<Thread> handlerThreads = new LinkedBlockingQueue<>();
        handles.add(killSwitch.listen(pod, request -> handlerThreads.add(Thread.currentThread())));

        killSwitch.requestKill(newRequest(pod));

        Thread handlerThread = handlerThreads.poll(ARRIVAL.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(handlerThread, "the request never arrived");
        assertNotSame(Thread.currentThread(), handlerThread);
    }

    @Test
    void closedListener_receivesNothing() throws Exception {
        PodId pod = newPod();
        Inbox closed = new Inbox();
        AutoCloseable closedHandle = killSwitch.listen(pod, closed);
        Inbox open = listen(pod);
        closedHandle.close();

        killSwitch.requestKill(newRequest(pod));

        assertNotNull(open.next(ARRIVAL), "the request never reached the listener left open");
        assertNull(closed.next(QUIET), "a closed listener must receive nothing");
    }

    @Test
    void closingListenerTwice_isHarmless_andPodCanListenAgain() throws Exception {
        PodId pod = newPod();
        AutoCloseable handle = killSwitch.listen(pod, request -> { });
        handle.close();
        assertDoesNotThrow(handle::close);

        Inbox again = listen(pod);
        KillRequest request = newRequest(pod);
        killSwitch.requestKill(request);

        assertEquals(request, again.next(ARRIVAL));
    }

    @Test
    void requestWithoutListener_isNotReplayedToLaterListener() throws Exception {
        PodId pod = newPod();
        KillRequest early = newRequest(pod);
        assertDoesNotThrow(() -> killSwitch.requestKill(early));

        Inbox late = listen(pod);
        KillRequest current = newRequest(pod);
        killSwitch.requestKill(current);

        assertEquals(current, late.next(ARRIVAL), "only the request sent while listening may arrive");
        assertNull(late.next(QUIET));
    }

    @Test
    void throwingHandler_keepsReceivingLaterRequests() throws Exception {
        PodId pod = newPod();
        Inbox inbox = new Inbox();
        CountDownLatch secondSent = new CountDownLatch(1);
        handles.add(killSwitch.listen(pod, request -> {
            inbox.accept(request);
            // Throw only once the next request is already on its way, so it must survive the failure.
            awaitQuietly(secondSent);
            throw new IllegalStateException("handler failure the adapter must survive");
        }));
        KillRequest first = newRequest(pod);
        KillRequest second = newRequest(pod);

        killSwitch.requestKill(first);
        assertEquals(first, inbox.next(ARRIVAL));
        killSwitch.requestKill(second);
        secondSent.countDown();

        assertEquals(second, inbox.next(ARRIVAL));
    }

    @Test
    void burstOfRequests_allArrive() throws Exception {
        PodId pod = newPod();
        Inbox inbox = listen(pod);
        Set<KillRequest> sent = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            KillRequest request = newRequest(pod);
            sent.add(request);
            killSwitch.requestKill(request);
        }

        Set<KillRequest> received = new HashSet<>();
        for (int i = 0; i < sent.size(); i++) {
            KillRequest request = inbox.next(ARRIVAL);
            assertNotNull(request, "only " + received.size() + " of " + sent.size() + " requests arrived");
            received.add(request);
        }

        assertEquals(sent, received);
    }

    private Inbox listen(PodId pod) {
        Inbox inbox = new Inbox();
        handles.add(killSwitch.listen(pod, inbox));
        return inbox;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(ARRIVAL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static PodId newPod() {
        return new PodId(unique("pod"));
    }

    private static KillRequest newRequest(PodId victimPod) {
        SessionKey key = new SessionKey("session:" + unique("company") + ":agent:" + unique("user"));
        return new KillRequest(key, new SessionOwner(victimPod, new ConnectionId(unique("conn"))));
    }

    /** Collects the requests a listener receives, for the test thread to wait on. */
    private static final class Inbox implements Consumer<KillRequest> {
        private final BlockingQueue<KillRequest> received = new LinkedBlockingQueue<>();

        @Override
        public void accept(KillRequest request) {
            received.add(request);
        }

        /** The next request, or null when none arrives within {@code wait}. */
        KillRequest next(Duration wait) throws InterruptedException {
            return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
