package io.relaymesh.adapters.web.metrics;

import io.relaymesh.adapters.web.http.ReadinessCheck;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DependencyMonitorTest {
    private final AtomicReference<String> redisProblem = new AtomicReference<>();
    private final ReadinessCheck redis = check("redis", redisProblem::get);
    private final ReadinessCheck nats = check("nats", () -> null);

    @Test
    void beforeTheFirstCheck_nothingIsKnown() {
        DependencyMonitor monitor = new DependencyMonitor(List.of(redis, nats));

        assertEquals(List.of("redis", "nats"), monitor.names());
        assertEquals(Optional.empty(), monitor.up("redis"));
    }

    @Test
    void aCheckWithAProblem_isDown_andUpAgainOnceTheProblemIsGone() {
        DependencyMonitor monitor = new DependencyMonitor(List.of(redis, nats));
        redisProblem.set("Redis at localhost:6379 does not answer PING");

        monitor.refresh();
        assertEquals(Optional.of(false), monitor.up("redis"));
        assertEquals(Optional.of(true), monitor.up("nats"));

        redisProblem.set(null);
        monitor.refresh();
        assertEquals(Optional.of(true), monitor.up("redis"));
    }

    @Test
    void aCheckThatThrows_isDown() {
        DependencyMonitor monitor = new DependencyMonitor(List.of(check("redis", () -> {
            throw new IllegalStateException("pool closed");
        })));

        monitor.refresh();

        assertEquals(Optional.of(false), monitor.up("redis"));
    }

    @Test
    void readingTheResult_neverWaitsForACheckThatHangs() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DependencyMonitor monitor = new DependencyMonitor(List.of(check("redis", () -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        })));
        // As bootstrap runs it: refresh() on a thread of its own, while a scrape reads the result.
        Thread refresher = Thread.ofVirtual().start(monitor::refresh);
        try {
            assertTrue(entered.await(5, TimeUnit.SECONDS), "the check ran on the refreshing thread");

            long start = System.nanoTime();
            Optional<Boolean> up = monitor.up("redis");

            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(100), "up() waited for the check");
            assertEquals(Optional.empty(), up, "no result while the first check still runs");
        } finally {
            release.countDown();
            refresher.join(5_000);
        }
    }

    private static ReadinessCheck check(String name, java.util.function.Supplier<String> problem) {
        return new ReadinessCheck() {
            public String name() {
                return name;
            }

            public String problem() {
                return problem.get();
            }
        };
    }
}
