package io.relaymesh.adapters.memory;

import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.KillSwitch;
import io.relaymesh.domain.port.KillSwitch.KillRequest;
import io.relaymesh.domain.port.contract.KillSwitchContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemoryKillSwitchTest extends KillSwitchContract {
    private static final PodId POD = new PodId("pod-a");

    private final List<InMemoryKillSwitch> created = new ArrayList<>();

    @Override
    protected KillSwitch createKillSwitch() {
        InMemoryKillSwitch killSwitch = new InMemoryKillSwitch();
        created.add(killSwitch);
        return killSwitch;
    }

    @AfterEach
    void closeSwitches() {
        created.forEach(InMemoryKillSwitch::close);
    }

    @Test
    void requestsToOneListener_arriveInTheOrderSent() throws Exception {
        InMemoryKillSwitch killSwitch = (InMemoryKillSwitch) createKillSwitch();
        BlockingQueue<KillRequest> received = new LinkedBlockingQueue<>();
        killSwitch.listen(POD, received::add);
        List<KillRequest> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            KillRequest request = request("user" + i);
            sent.add(request);
            killSwitch.requestKill(request);
        }

        List<KillRequest> arrived = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            KillRequest request = received.poll(1, TimeUnit.SECONDS);
            assertNotNull(request, "only " + arrived.size() + " requests arrived");
            arrived.add(request);
        }

        assertEquals(sent, arrived);
    }

    @Test
    void slowHandler_doesNotHoldUpOtherListeners() throws Exception {
        InMemoryKillSwitch killSwitch = (InMemoryKillSwitch) createKillSwitch();
        CountDownLatch release = new CountDownLatch(1);
        killSwitch.listen(POD, request -> awaitQuietly(release));
        BlockingQueue<KillRequest> other = new LinkedBlockingQueue<>();
        killSwitch.listen(POD, other::add);

        killSwitch.requestKill(request("u1"));

        assertNotNull(other.poll(1, TimeUnit.SECONDS), "a blocked handler must not delay its neighbour");
        release.countDown();
    }

    @Test
    void requestQueuedBeforeClose_isNotDelivered() throws Exception {
        InMemoryKillSwitch killSwitch = (InMemoryKillSwitch) createKillSwitch();
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<KillRequest> received = new LinkedBlockingQueue<>();
        AutoCloseable handle = killSwitch.listen(POD, request -> {
            received.add(request);
            awaitQuietly(release);
        });
        KillRequest first = request("u1");
        killSwitch.requestKill(first);
        assertEquals(first, received.poll(1, TimeUnit.SECONDS));
        killSwitch.requestKill(request("u2"));

        handle.close();
        release.countDown();

        assertNull(received.poll(200, TimeUnit.MILLISECONDS), "the queued request must die with its listener");
    }

    @Test
    void closedSwitch_deliversNothing() throws Exception {
        InMemoryKillSwitch killSwitch = (InMemoryKillSwitch) createKillSwitch();
        BlockingQueue<KillRequest> received = new LinkedBlockingQueue<>();
        killSwitch.listen(POD, received::add);

        killSwitch.close();

        assertDoesNotThrow(() -> killSwitch.requestKill(request("u1")));
        assertNull(received.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void closingEveryListenerOfAPod_forgetsThePod() throws Exception {
        InMemoryKillSwitch killSwitch = (InMemoryKillSwitch) createKillSwitch();
        AutoCloseable first = killSwitch.listen(POD, request -> { });
        AutoCloseable second = killSwitch.listen(POD, request -> { });

        first.close();
        assertTrue(killSwitch.listensFor(POD));
        second.close();

        assertFalse(killSwitch.listensFor(POD));
    }

    private static KillRequest request(String user) {
        return new KillRequest(new SessionKey("session:c:a:" + user), new SessionOwner(POD, new ConnectionId("c-" + user)));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
