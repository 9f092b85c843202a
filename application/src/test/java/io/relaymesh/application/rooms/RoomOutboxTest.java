package io.relaymesh.application.rooms;

import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomOutboxTest {
    private static Envelope envelope(int n, int bytes) {
        return new Envelope("e-" + n, List.of(RouteKey.of("room", "t")), new byte[bytes], Map.of(), 0L);
    }

    @Test
    void envelopesReachTheCoreInOrder_inBatches_whileItIsBusy() throws Exception {
        List<List<String>> batches = new ArrayList<>();
        CountDownLatch firstBatchStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            RoomOutbox outbox = new RoomOutbox(executor, batch -> {
                synchronized (batches) {
                    batches.add(batch.stream().map(Envelope::id).toList());
                }
                firstBatchStarted.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS); // a slow route lookup
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            outbox.add(envelope(0, 10));
            assertTrue(firstBatchStarted.await(5, TimeUnit.SECONDS));
            for (int i = 1; i <= 300; i++) {
                outbox.add(envelope(i, 10));
            }
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (outbox.queued() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(50);
            List<String> all = new ArrayList<>();
            synchronized (batches) {
                batches.forEach(all::addAll);
                assertEquals(List.of("e-0"), batches.getFirst());
                assertEquals(RoomOutbox.MAX_BATCH, batches.get(1).size(), "what waited goes in full batches");
            }
            for (int i = 0; i <= 300; i++) {
                assertEquals("e-" + i, all.get(i));
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aFullQueue_makesTheSenderWait_untilTheCoreTakesSome() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            RoomOutbox outbox = new RoomOutbox(executor, batch -> {
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            outbox.add(envelope(-1, 1)); // taken by the drain, which then waits
            Thread.sleep(50);
            for (int i = 0; i < RoomOutbox.MAX_QUEUED; i++) {
                outbox.add(envelope(i, 1));
            }
            AtomicBoolean added = new AtomicBoolean();
            Thread sender = Thread.ofVirtual().start(() -> {
                outbox.add(envelope(99_999, 1));
                added.set(true);
            });
            Thread.sleep(200);
            assertFalse(added.get(), "the sender waits for room");
            release.countDown();
            sender.join(5000);
            assertTrue(added.get());
        } finally {
            executor.shutdownNow();
        }
    }
}
