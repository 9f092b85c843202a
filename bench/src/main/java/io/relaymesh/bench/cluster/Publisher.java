package io.relaymesh.bench.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.bench.support.Deadline;
import io.relaymesh.bench.support.Progress;
import io.relaymesh.bench.support.Samples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Publishes events through {@code POST /api/v1/publish} of one pod at a fixed rate (event i is sent
 * at start + i / rate, whatever the previous answers took), with at most {@value #MAX_IN_FLIGHT}
 * requests in flight. Each payload carries its {@code event_id} ({@code <prefix><i>}), {@code seq},
 * {@code sent_at_ms} (wall clock) and {@code sent_at_nanos} (this JVM's monotonic clock, for the
 * clients' latency), all set just before the request is sent. Not thread-safe; one run at a time.
 */
public final class Publisher {
    static final int MAX_IN_FLIGHT = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a publishing run did. */
    public record Outcome(int attempted, long accepted, long failed, String firstFailure, double seconds,
                   Samples httpMicros, long startNanos, long endNanos) {
        public double achievedRate() {
            return seconds == 0 ? 0 : attempted / seconds;
        }
    }

    private final HttpClient http;
    private final URI publish;

    Publisher(HttpClient http, Pod pod) {
        this.http = http;
        this.publish = pod.http("/api/v1/publish");
    }

    /** Runs {@code onStart} with the start instant (System.nanoTime) just before the first event. */
    Outcome run(String subject, String prefix, int events, int perSecond, Deadline deadline, Progress progress,
                LongConsumer onStart) throws InterruptedException {
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        Samples httpMicros = new Samples();
        long periodNanos = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        onStart.accept(start);
        int sent = 0;
        long nextReport = start + 1_000_000_000L;
        for (int i = 0; i < events && !deadline.passed(); i++) {
            long due = start + i * periodNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!inFlight.tryAcquire(Math.max(1, deadline.remainingMillis()), TimeUnit.MILLISECONDS)) {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, "no answer to " + MAX_IN_FLIGHT + " requests in flight");
                continue;
            }
            ObjectNode payload = JSON.createObjectNode()
                    .put("event_id", prefix + i)
                    .put("seq", i)
                    .put("sent_at_ms", System.currentTimeMillis())
                    .put("sent_at_nanos", System.nanoTime());
            ObjectNode body = JSON.createObjectNode().put("subject", subject);
            body.set("payload", payload);
            HttpRequest request = HttpRequest.newBuilder(publish).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("X-API-Key", Pod.ADMIN_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            long sentAt = System.nanoTime();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                long micros = (System.nanoTime() - sentAt) / 1_000;
                synchronized (httpMicros) {
                    httpMicros.add(micros);
                }
                if (error == null && response.statusCode() == 200) {
                    accepted.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, error != null ? error.toString()
                            : response.statusCode() + " " + response.body());
                }
                inFlight.release();
            });
            sent++;
            if (System.nanoTime() >= nextReport) {
                progress.line("  published %d of %d (%d accepted, %d failed so far)", sent, events, accepted.get(),
                        failed.get());
                nextReport += 1_000_000_000L;
            }
        }
        // Every answer is in once all permits are back (bounded by the request timeout).
        inFlight.tryAcquire(MAX_IN_FLIGHT, 15, TimeUnit.SECONDS);
        long end = System.nanoTime();
        synchronized (httpMicros) {
            return new Outcome(sent, accepted.get(), failed.get(), firstFailure.get(), (end - start) / 1e9, httpMicros,
                    start, end);
        }
    }
}
