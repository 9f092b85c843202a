package io.relaymesh.domain.port.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Helpers shared by the contracts. Ids carry a random suffix so that tests run against one shared
 * Redis never see each other's keys; waits use real time because a Redis adapter expires in real time.
 */
final class Fixtures {
    /** A TTL short enough to wait out in a test. */
    static final Duration SHORT_TTL = Duration.ofMillis(300);
    /** Comfortably longer than {@link #SHORT_TTL}, so a lapse cannot be missed by a slow scheduler. */
    static final Duration PAST_SHORT_TTL = Duration.ofMillis(600);
    /** A TTL no test outlives. */
    static final Duration LONG_TTL = Duration.ofSeconds(30);

    private Fixtures() {
    }

    /** A random segment valid in keys, pod ids and connection ids. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }

    /**
     * Runs {@code contenders} calls of {@code attempt} at once (released by one gate, so they
     * overlap as much as the machine allows) and returns their results in contender order.
     */
    static <T> List<T> race(int contenders, IntFunction<T> attempt) {
        CountDownLatch gate = new CountDownLatch(1);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                int contender = i;
                futures.add(executor.submit(() -> {
                    gate.await();
                    return attempt.apply(contender);
                }));
            }
            gate.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while racing", e);
        } catch (ExecutionException e) {
            throw new AssertionError("a contender failed", e.getCause());
        }
    }
}
