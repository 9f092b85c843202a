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
 * first-frame type on the shared {@code /ws} too, and the dedicated listeners some dialects have.
 * Immutable.
 */
public record DialectEndpoints(List<Dialect> dialects, DialectSessions sessions, List<DedicatedListener> listeners,
                               Map<Dialect, Function<Envelope, byte[]>> renderers) {
    /** The shared path whose first frame picks the dialect. */
    public static final String SHARED_PATH = "/ws";
    /** Every path of a dedicated listener. */
    public static final String ANY_PATH = "/*";

    public DialectEndpoints(List<Dialect> dialects, DialectSessions sessions) {
        this(dialects, sessions, List.of());
    }

    public DialectEndpoints(List<Dialect> dialects, DialectSessions sessions, List<DedicatedListener> listeners) {
        this(dialects, sessions, listeners, renderersOf(dialects));
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

    /**
     * How {@code dialect} renders envelopes: one function object per dialect, so that a frame
     * shared by many connections is encoded once (it caches by encoder identity).
     */
    public Function<Envelope, byte[]> renderer(Dialect dialect) {
        Function<Envelope, byte[]> renderer = renderers.get(dialect);
        return renderer != null ? renderer : dialect::render;
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

    private static Map<Dialect, Function<Envelope, byte[]>> renderersOf(List<Dialect> dialects) {
        Map<Dialect, Function<Envelope, byte[]>> renderers = new IdentityHashMap<>();
        for (Dialect d : dialects) {
            renderers.put(d, d::render);
        }
        return renderers;
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
}
