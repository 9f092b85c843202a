package io.relaymesh.adapters.web.dialect;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import io.relaymesh.adapters.web.ws.EndpointContext;
import io.relaymesh.adapters.web.ws.UpgradeLimits;
import io.relaymesh.adapters.web.ws.WsConnection;
import io.relaymesh.application.connection.Gateway;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.dialect.Admission;
import io.relaymesh.application.dialect.Dialect;
import io.relaymesh.application.dialect.DialectSession;
import io.relaymesh.application.dialect.Handshake;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.domain.model.ConnectionId;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connection of a dialect: on the dialect's own path (its dialect known from the start) or on
 * the shared {@code /ws} (the dialect chosen by the {@code type} of the first frame). Admission,
 * frames and rendering are the dialect's; the socket, its writer, the connection caps and the
 * cleanup are the same as for the primary protocol. One instance per connection.
 */
public final class DialectWsListener implements WsListener {
    private static final Logger LOG = Logger.getLogger(DialectWsListener.class.getName());
    /** Close code for a frame the server cannot take (unknown first frame, oversize, handler fault). */
    static final int BAD_REQUEST = 4400;

    private final EndpointContext ctx;
    private final DialectEndpoints endpoints;
    private volatile Dialect dialect;
    private Handshake handshake;
    private volatile WsConnection connection;
    private volatile LocalSession session;
    private volatile boolean awaitingFirstFrame;
    private List<String> forwardedFor = List.of();
    private UpgradeLimits upgradeLimits;
    private StringBuilder partial;

    DialectWsListener(EndpointContext ctx, DialectEndpoints endpoints, Dialect dialect) {
        this.ctx = ctx;
        this.endpoints = endpoints;
        this.dialect = dialect;
    }

    @Override
    public java.util.Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        if (!ctx.origins().allows(headers.first(HeaderNames.ORIGIN).orElse(null))) {
            ctx.metrics().originRefused(GatewayMetrics.Kind.user);
            throw new WsUpgradeException("Origin not in server.allowed_origins");
        }
        Map<String, List<String>> query = new HashMap<>();
        for (String name : prologue.query().names()) {
            query.put(name, prologue.query().all(name));
        }
        Map<String, String> heads = new HashMap<>();
        headers.forEach(h -> heads.put(h.name().toLowerCase(Locale.ROOT), h.get()));
        handshake = new Handshake(prologue.uriPath().path(), query, heads);
        forwardedFor = headers.all(HeaderNames.X_FORWARDED_FOR, List::of);
        return java.util.Optional.empty();
    }

    @Override
    public void onOpen(WsSession ws) {
        WsConnection conn = new WsConnection(new ConnectionId(ctx.ids().next()), ws, ctx.writerSettings(),
                ctx.writers(), ctx.metrics());
        connection = conn;
        conn.onEnd(this::cleanUp);
        upgradeLimits = new UpgradeLimits(ctx.limits());
        String limitProblem = upgradeLimits.check(ws, forwardedFor);
        forwardedFor = List.of();
        if (limitProblem != null) {
            refuse(conn, error(limitProblem), 4429, "rate limit");
            return;
        }
        if (!ctx.tracker().add(conn)) {
            ctx.tracker().logRefusal();
            refuse(conn, null, 1013, "server full");
            return;
        }
        if (dialect == null) {
            awaitingFirstFrame = true; // the shared /ws: the first frame names the dialect
            return;
        }
        admit(conn, dialect.admit(handshake, null), null);
    }

    /** @param firstFrame the frame that led to this admission, or null at the upgrade */
    private void admit(WsConnection conn, Admission admission, String firstFrame) {
        if (!(admission instanceof Admission.AwaitFirstFrame)) {
            handshake = null; // read only to admit: an open connection does not keep its headers
        }
        switch (admission) {
            case Admission.AwaitFirstFrame wait -> awaitingFirstFrame = true;
            case Admission.Refused refused -> refuse(conn, refused.frame(), refused.closeCode(), refused.reason());
            case Admission.Admitted admitted -> {
                awaitingFirstFrame = false;
                Dialect d = dialect;
                conn.renderEventsWith(endpoints.renderer(d));
                if (admitted.reply() != null) {
                    conn.offer(new io.relaymesh.application.connection.ServerMessage.Text(admitted.reply()));
                }
                switch (endpoints.sessions().open(admitted.principal(), conn, admitted.routes())) {
                    case Gateway.Opening.Refused refused -> refuse(conn, null, 1011, refused.message());
                    case Gateway.Opening.Opened opened -> {
                        session = opened.session();
                        conn.release();
                        if (conn.isClosing()) {
                            closeSession(opened.session());
                        } else if (admitted.handleFirstFrame() && firstFrame != null) {
                            handle(conn, opened.session(), firstFrame);
                        }
                    }
                }
            }
        }
    }

    private static void refuse(WsConnection conn, String frame, int closeCode, String reason) {
        if (frame != null) {
            conn.offer(new io.relaymesh.application.connection.ServerMessage.Text(frame));
        }
        conn.release();
        conn.close(closeCode, reason == null ? "" : reason.length() > 120 ? reason.substring(0, 120) : reason);
    }

    @Override
    public void onMessage(WsSession ws, String text, boolean last) {
        WsConnection conn = connection;
        if (conn == null || conn.isClosing()) {
            return;
        }
        conn.seen();
        Dialect known = dialect;
        int maxFrameBytes = known != null && known.maxFrameBytes() > 0 ? known.maxFrameBytes() : ctx.maxFrameBytes();
        if (partial != null || !last) {
            // A message in fragments: gathered up to the frame limit, then handled whole.
            if (partial == null) {
                partial = new StringBuilder();
            }
            partial.append(text);
            if (partial.length() > maxFrameBytes) {
                partial = null;
                refuse(conn, error("frame is larger than " + maxFrameBytes + " bytes"), BAD_REQUEST,
                        "frame too large");
                return;
            }
            if (!last) {
                return;
            }
            text = partial.toString();
            partial = null;
        }
        if (text.length() > maxFrameBytes || utf8Length(text) > maxFrameBytes) {
            refuse(conn, error("frame is larger than " + maxFrameBytes + " bytes"), BAD_REQUEST,
                    "frame too large");
            return;
        }
        if (awaitingFirstFrame && session == null) {
            if (dialect == null) {
                String type = FirstFrames.type(text);
                Dialect owner = type == null ? null : endpoints.byFirstFrame().get(type);
                if (owner == null) {
                    refuse(conn, error("unknown first frame" + (type == null ? " (no \"type\" field)" : " type \"" + type
                            + "\"") + "; expected one of " + endpoints.byFirstFrame().keySet()), BAD_REQUEST,
                            "unknown first frame");
                    return;
                }
                dialect = owner;
            }
            admit(conn, dialect.admit(handshake, text), text);
            return;
        }
        LocalSession current = session;
        if (current == null) {
            return;
        }
        handle(conn, current, text);
    }

    /** One admitted frame: the core's frame rate (unless the dialect keeps its own), then the dialect. */
    private void handle(WsConnection conn, LocalSession current, String text) {
        if (!dialect.limitsFrameRate() && !endpoints.sessions().allowFrame(current)) {
            refuse(conn, error("too many messages per second"), 4429, "rate limit");
            return;
        }
        try {
            dialect.onFrame(new DialectSession(dialect, current), text);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "dialect " + dialect.name() + " failed on a frame of connection " + conn.id(), e);
            refuse(conn, error("the server could not handle this frame"), 1011, "internal error");
        }
    }

    /** UTF-8 length without encoding: a large frame is measured, not copied. */
    private static long utf8Length(String text) {
        long bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                bytes += c >= 0x800 && !Character.isSurrogate(c) ? 2 : 1;
            }
        }
        return bytes;
    }

    @Override
    public void onMessage(WsSession ws, BufferData buffer, boolean last) {
        WsConnection conn = connection;
        if (conn != null && !conn.isClosing()) {
            conn.seen();
            refuse(conn, error("binary frames are not supported; send JSON text frames"), 1003, "binary frame");
        }
    }

    @Override
    public void onPing(WsSession ws, BufferData buffer) {
        WsConnection conn = connection;
        if (conn == null) {
            return;
        }
        conn.seen();
        LocalSession current = session;
        if (current != null && !conn.isClosing() && !endpoints.sessions().allowFrame(current)) {
            // Pings count against the client's frame rate, as on the primary protocol's sockets.
            ctx.limits().metrics().rateLimited(io.relaymesh.adapters.web.limits.ClientLimits.PINGS);
            refuse(conn, error("too many pings per second"), 4429, "rate limit");
            return;
        }
        conn.answerPing(buffer);
    }

    @Override
    public void onPong(WsSession ws, BufferData buffer) {
        WsConnection conn = connection;
        if (conn != null) {
            conn.seen();
        }
    }

    @Override
    public void onClose(WsSession ws, int status, String reason) {
        WsConnection conn = connection;
        if (conn != null) {
            conn.ended();
        }
    }

    @Override
    public void onError(WsSession ws, Throwable t) {
        LOG.log(Level.FINE, "dialect connection error", t);
        WsConnection conn = connection;
        if (conn != null) {
            conn.ended();
        }
    }

    private void cleanUp() {
        ctx.tracker().remove(connection);
        if (upgradeLimits != null) {
            upgradeLimits.release();
        }
        LocalSession current = session;
        if (current != null) {
            closeSession(current);
        }
    }

    /** The core's cleanup, then the dialect's (which may announce the departure to others). */
    private void closeSession(LocalSession current) {
        endpoints.sessions().closed(current);
        Dialect d = dialect;
        try {
            d.closed(new DialectSession(d, current));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "dialect " + d.name() + " failed to clean up after connection "
                    + current.connection().id(), e);
        }
    }

    /** A generic error frame for faults the dialect did not answer itself. */
    static String error(String message) {
        return "{\"type\":\"error\",\"payload\":" + FirstFrames.quote(message) + "}";
    }
}
