package io.relaymesh.adapters.web.dialect;

import io.helidon.webserver.websocket.WsRouting;
import io.relaymesh.adapters.web.ws.EndpointContext;
import io.relaymesh.application.dialect.Dialect;
import io.relaymesh.application.dialect.DialectSessions;
import io.relaymesh.domain.model.Envelope;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The registered dialects and their WebSocket endpoints: each on its own path, those with a
 * first-frame type on the shared {@code /ws} too, and the dedicated listeners some dialects have
 * (every path of such a listener is its dialect's). Immutable.
 *
 * @param renderers one rendering function per dialect (made by the constructors), so that a frame
 *                  going to many sockets is encoded once (the writer caches by encoder identity)
 */
public record DialectEndpoints(List<Dialect> dialects, DialectSessions sessions, DialectMeters meters,
                               List<DedicatedListener> listeners, Map<Dialect, Function<Envelope, byte[]>> renderers) {
    /** The shared path whose first frame picks the dialect. */
    public static final String SHARED_PATH = "/ws";
    /** Every path of a dedicated listener. */
    public static final String ANY_PATH = "/*";

    public DialectEndpoints(List<Dialect> dialects, DialectSessions sessions, DialectMeters meters,
                            List<DedicatedListener> listeners) {
        this(dialects, sessions, meters, listeners, renderersOf(dialects, meters));
    }

    public DialectEndpoints(List<Dialect> dialects, DialectSessions sessions, DialectMeters meters) {
        this(dialects, sessions, meters, List.of());
    }

    public DialectEndpoints {
        dialects = List.copyOf(dialects);
        listeners = List.copyOf(listeners);
        renderers = java.util.Collections.unmodifiableMap(new IdentityHashMap<>(renderers));
        for (DedicatedListener listener : listeners) {
            if (!dialects.contains(listener.dialect())) {
                throw new IllegalArgumentException("listener " + listener.name() + " serves dialect "
                        + listener.dialect().name() + ", which is not registered");
            }
        }
        Map<String, String> paths = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        for (Dialect d : dialects) {
            String other = paths.put(d.path(), d.name());
            if (other != null) {
                throw new IllegalArgumentException("dialects " + other + " and " + d.name() + " both use " + d.path());
            }
            if (d.firstFrameType() != null && (other = types.put(d.firstFrameType(), d.name())) != null) {
                throw new IllegalArgumentException("dialects " + other + " and " + d.name()
                        + " both claim first frame type " + d.firstFrameType());
            }
        }
    }

    public DialectEndpoints(List<Dialect> dialects, DialectSessions sessions) {
        this(dialects, sessions, DialectMeters.unregistered());
    }

    public static DialectEndpoints none() {
        return new DialectEndpoints(List.of(), null);
    }

    /** Dialects by the type of the first frame they own on {@code /ws}. */
    public Map<String, Dialect> byFirstFrame() {
        Map<String, Dialect> out = new HashMap<>();
        for (Dialect d : dialects) {
            if (d.firstFrameType() != null) {
                out.put(d.firstFrameType(), d);
            }
        }
        return out;
    }

    /** How {@code dialect} renders envelopes (counting each rendered envelope): one function per dialect. */
    public Function<Envelope, byte[]> renderer(Dialect dialect) {
        Function<Envelope, byte[]> renderer = renderers.get(dialect);
        return renderer != null ? renderer : counting(dialect, meters);
    }

    private static Map<Dialect, Function<Envelope, byte[]>> renderersOf(List<Dialect> dialects, DialectMeters meters) {
        Map<Dialect, Function<Envelope, byte[]>> renderers = new IdentityHashMap<>();
        for (Dialect d : dialects) {
            renderers.put(d, counting(d, meters));
        }
        return renderers;
    }

    private static Function<Envelope, byte[]> counting(Dialect dialect, DialectMeters meters) {
        return envelope -> {
            meters.event(dialect.name());
            return dialect.render(envelope);
        };
    }

    /** The largest client frame any dialect takes (at least {@code serverMax}), for the WebSocket protocol's own cap. */
    public int maxFrameBytes(int serverMax) {
        int max = serverMax;
        for (Dialect d : dialects) {
            max = Math.max(max, d.maxFrameBytes());
        }
        return max;
    }

    /** Routes every path of {@code listener} to its dialect. */
    public void registerDedicated(WsRouting.Builder routing, EndpointContext ctx, DedicatedListener listener) {
        routing.endpoint(ANY_PATH, () -> new DialectWsListener(ctx, this, listener.dialect()));
    }

    /** Stops every dialect's background work (after their sockets are closed). */
    public void close() {
        for (Dialect d : dialects) {
            try {
                d.close();
            } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(DialectEndpoints.class.getName()).log(java.util.logging.Level.WARNING,
                        "dialect " + d.name() + " did not close cleanly", e);
            }
        }
    }

    /** Adds every dialect's endpoints to {@code routing}. */
    public void register(WsRouting.Builder routing, EndpointContext ctx) {
        for (Dialect d : dialects) {
            routing.endpoint(d.path(), () -> new DialectWsListener(ctx, this, d));
        }
        if (!byFirstFrame().isEmpty()) {
            routing.endpoint(SHARED_PATH, () -> new DialectWsListener(ctx, this, null));
        }
    }

    /**
     * How long a connection on the shared {@code /ws} may wait before its first frame: the longest
     * limit of the dialects that own a first frame (none cut sooner than its own), or null.
     */
    public java.time.Duration firstFrameTimeout() {
        java.time.Duration longest = null;
        for (Dialect d : dialects) {
            java.time.Duration limit = d.firstFrameType() == null ? null : d.firstFrameTimeout();
            if (limit != null && (longest == null || limit.compareTo(longest) > 0)) {
                longest = limit;
            }
        }
        return longest;
    }

    /** Starts every dialect's own timers and inbound adapters. */
    public void start() {
        dialects.forEach(Dialect::start);
    }

    /** Stops them, in reverse order. */
    public void stop() {
        for (Dialect d : dialects.reversed()) {
            try {
                d.stop();
            } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(DialectEndpoints.class.getName()).log(java.util.logging.Level.WARNING,
                        "dialect " + d.name() + " did not stop cleanly", e);
            }
        }
    }
}
