package io.relaymesh.adapters.web.dialect;

import io.helidon.webserver.websocket.WsRouting;
import io.relaymesh.adapters.web.ws.EndpointContext;
import io.relaymesh.application.dialect.Dialect;
import io.relaymesh.application.dialect.DialectSessions;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The registered dialects and their WebSocket endpoints: each on its own path, and those with a
 * first-frame type on the shared {@code /ws} too. Immutable.
 */
public record DialectEndpoints(List<Dialect> dialects, DialectSessions sessions, DialectMeters meters) {
    /** The shared path whose first frame picks the dialect. */
    public static final String SHARED_PATH = "/ws";

    public DialectEndpoints {
        dialects = List.copyOf(dialects);
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
