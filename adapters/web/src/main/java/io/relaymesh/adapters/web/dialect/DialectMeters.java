package io.relaymesh.adapters.web.dialect;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every dialect's sockets count, labelled {@code dialect}: open connections, frames in, events
 * rendered out, and errors by reason. Connections on the shared {@code /ws} that never named a
 * dialect count under {@code dialect="none"}. Every label value of a registered dialect is made up
 * front, so dashboards see zeros rather than gaps. Thread-safe.
 */
public final class DialectMeters {
    /** The label of errors on {@code /ws} before a first frame picked a dialect. */
    public static final String NO_DIALECT = "none";

    /** Why a dialect socket got an error (the {@code reason} label). */
    public enum Reason {
        /** The first frame on {@code /ws} named no known dialect. */
        unknown_first_frame,
        /** The dialect refused the connection (bad credentials, bad first frame). */
        refused,
        /** A frame over {@code server.max_frame_bytes}. */
        frame_too_large,
        /** Over the per-connection frame or ping rate, or an upgrade cap. */
        rate_limited,
        /** A binary frame (dialects speak JSON text). */
        binary_frame,
        /** The dialect failed on a frame (logged with the connection id). */
        handler_failure
    }

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Map<String, Counter> frames = new ConcurrentHashMap<>();
    private final Map<String, Counter> events = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();

    public DialectMeters(MeterRegistry registry, Collection<String> dialects) {
        this.registry = registry;
        for (String dialect : dialects) {
            open(dialect);
            frameCounter(dialect);
            eventCounter(dialect);
            for (Reason reason : Reason.values()) {
                if (reason != Reason.unknown_first_frame) {
                    errorCounter(dialect, reason);
                }
            }
        }
        errorCounter(NO_DIALECT, Reason.unknown_first_frame);
    }

    /** Meters kept in a registry of their own, for tests and wiring without Prometheus. */
    public static DialectMeters unregistered() {
        return new DialectMeters(new SimpleMeterRegistry(), java.util.List.of());
    }

    public void opened(String dialect) {
        open(dialect).incrementAndGet();
    }

    public void closed(String dialect) {
        open(dialect).decrementAndGet();
    }

    public void frame(String dialect) {
        frameCounter(dialect).increment();
    }

    public void event(String dialect) {
        eventCounter(dialect).increment();
    }

    public void error(String dialect, Reason reason) {
        errorCounter(dialect == null ? NO_DIALECT : dialect, reason).increment();
    }

    /** Open connections of {@code dialect} on this pod. */
    public int connections(String dialect) {
        return open(dialect).get();
    }

    private AtomicInteger open(String dialect) {
        return open.computeIfAbsent(dialect, d -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("relaymesh_dialect_connections", value, AtomicInteger::get).tag("dialect", d)
                    .description("Open WebSocket connections admitted by a dialect on this pod").register(registry);
            return value;
        });
    }

    private Counter frameCounter(String dialect) {
        return frames.computeIfAbsent(dialect, d -> Counter.builder("relaymesh_dialect_frames_received").tag("dialect", d)
                .description("Client frames handled by a dialect (first frames included)").register(registry));
    }

    private Counter eventCounter(String dialect) {
        return events.computeIfAbsent(dialect, d -> Counter.builder("relaymesh_dialect_events_rendered").tag("dialect", d)
                .description("Envelopes rendered into a dialect's frames (once per envelope and pod, "
                        + "however many sockets get it)").register(registry));
    }

    private Counter errorCounter(String dialect, Reason reason) {
        return errors.computeIfAbsent(dialect + '\u0000' + reason, k -> Counter.builder("relaymesh_dialect_errors")
                .tag("dialect", dialect).tag("reason", reason.name())
                .description("Errors on dialect sockets, by reason").register(registry));
    }
}
