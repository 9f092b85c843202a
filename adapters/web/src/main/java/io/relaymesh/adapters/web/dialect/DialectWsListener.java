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
    /** Close code for a connection whose first frame did not come in time. */
    static final int FIRST_FRAME_TIMEOUT = 4408;
    /**
     * First frames a dialect may answer with {@link Admission.Retry} before the connection is cut:
     * frames before admission are not under the per-connection rate, so their number is bounded.
     */
    static final int MAX_ADMISSION_RETRIES = 16;
    private static final io.helidon.http.HeaderName SUBPROTOCOL = HeaderNames.create("Sec-WebSocket-Protocol");

    private final EndpointContext ctx;
    private final DialectEndpoints endpoints;
    private volatile Dialect dialect;
    private Handshake handshake;
    private volatile WsConnection connection;
    private volatile LocalSession session;
    private volatile boolean awaitingFirstFrame;
    /** Set once a first frame arrived, so the first-frame timer cannot cut a connection being admitted. */
    private volatile boolean firstFrameSeen;
    private List<String> forwardedFor = List.of();
    private UpgradeLimits upgradeLimits;
    private StringBuilder partial;
    private int admissionRetries;
    /** Whether the dialect was told the connection opened, so that it is told once when it ends. */
    private final java.util.concurrent.atomic.AtomicBoolean dialectOpened = new java.util.concurrent.atomic.AtomicBoolean();
    /** Whether this connection counts in the dialect's open connections (undone once, at clean-up). */
    private final java.util.concurrent.atomic.AtomicBoolean counted = new java.util.concurrent.atomic.AtomicBoolean();

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
        return acceptedSubprotocol(headers);
    }

    /** The Sec-WebSocket-Protocol answer: the subprotocol the dialect (any, on /ws) accepts of those offered. */
    private java.util.Optional<Headers> acceptedSubprotocol(Headers headers) {
        List<String> offered = new java.util.ArrayList<>();
        for (String value : headers.all(SUBPROTOCOL, List::of)) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    offered.add(item.strip());
                }
            }
        }
        if (offered.isEmpty()) {
            return java.util.Optional.empty();
        }
        for (Dialect d : dialect != null ? List.of(dialect) : endpoints.dialects()) {
            String chosen = d.subprotocol(offered);
            if (chosen != null) {
                return java.util.Optional.of(io.helidon.http.WritableHeaders.create().set(SUBPROTOCOL, chosen));
            }
        }
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
            endpoints.meters().error(dialectName(), DialectMeters.Reason.rate_limited);
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
            armFirstFrameTimer(conn, endpoints.firstFrameTimeout());
            return;
        }
        admit(conn, dialect.admit(handshake, null));
    }

    private void admit(WsConnection conn, Admission admission) {
        if (admission instanceof Admission.Admitted || admission instanceof Admission.Refused) {
            handshake = null; // read only to admit: an open connection does not keep its headers
        }
        switch (admission) {
            case Admission.AwaitFirstFrame wait -> {
                awaitingFirstFrame = true;
                armFirstFrameTimer(conn, dialect.firstFrameTimeout());
            }
            case Admission.Retry retry -> {
                if (++admissionRetries > MAX_ADMISSION_RETRIES) {
                    endpoints.meters().error(dialectName(), DialectMeters.Reason.refused);
                    refuse(conn, error("too many frames before a successful first frame (" + MAX_ADMISSION_RETRIES
                            + ")"), BAD_REQUEST, "no admission");
                    return;
                }
                awaitingFirstFrame = true;
                conn.release();
                conn.offer(new io.relaymesh.application.connection.ServerMessage.Text(retry.frame()));
            }
            case Admission.Refused refused -> {
                endpoints.meters().error(dialectName(), DialectMeters.Reason.refused);
                refuse(conn, refused.frame(), refused.closeCode(), refused.reason());
            }
            case Admission.Admitted admitted -> {
                awaitingFirstFrame = false;
                Dialect d = dialect;
                DialectMeters meters = endpoints.meters();
                // One renderer per dialect, not per connection: a frame going to many sockets is encoded once.
                conn.renderEventsWith(endpoints.renderer(d));
                Gateway.Opening opening;
                if (admitted.since() != null) {
                    // Resuming: the reply says whether what was missed follows, and comes before it.
                    String reply = admitted.reply();
                    opening = endpoints.sessions().open(admitted.principal(), conn, admitted.routes(), admitted.since(),
                            recovered -> new io.relaymesh.application.connection.ServerMessage.Text(
                                    d.resumedReply(reply, recovered)));
                } else {
                    if (admitted.reply() != null) {
                        conn.offer(new io.relaymesh.application.connection.ServerMessage.Text(admitted.reply()));
                    }
                    opening = endpoints.sessions().open(admitted.principal(), conn, admitted.routes());
                }
                switch (opening) {
                    case Gateway.Opening.Refused refused -> refuse(conn, null, 1011, refused.message());
                    case Gateway.Opening.Opened opened -> {
                        meters.opened(d.name());
                        counted.set(true);
                        session = opened.session();
                        conn.release();
                        if (conn.isClosing()) {
                            endpoints.sessions().closed(opened.session());
                            if (counted.compareAndSet(true, false)) {
                                meters.closed(d.name());
                            }
                        } else {
                            dialectOpened.set(true);
                            d.opened(new DialectSession(d, opened.session()));
                        }
                    }
                }
            }
        }
    }

    /** Closes the connection with 4408 if no first frame arrives within {@code limit} (null: no limit). */
    private void armFirstFrameTimer(WsConnection conn, java.time.Duration limit) {
        if (limit == null) {
            return;
        }
        java.util.concurrent.CompletableFuture.delayedExecutor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .execute(() -> {
                    if (firstFrameSeen || conn.isClosing()) {
                        return;
                    }
                    Dialect d = dialect;
                    String frame = d == null ? null : d.firstFrameMissing(limit);
                    refuse(conn, frame != null ? frame : error("no first frame within " + limit.toMillis() + " ms"),
                            FIRST_FRAME_TIMEOUT, "first frame timeout");
                });
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
                endpoints.meters().error(dialectName(), DialectMeters.Reason.frame_too_large);
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
            endpoints.meters().error(dialectName(), DialectMeters.Reason.frame_too_large);
            refuse(conn, error("frame is larger than " + maxFrameBytes + " bytes"), BAD_REQUEST,
                    "frame too large");
            return;
        }
        if (awaitingFirstFrame && session == null) {
            firstFrameSeen = true;
            if (dialect == null) {
                String type = FirstFrames.type(text);
                Dialect owner = type == null ? null : endpoints.byFirstFrame().get(type);
                if (owner == null) {
                    endpoints.meters().error(null, DialectMeters.Reason.unknown_first_frame);
                    refuse(conn, error("unknown first frame" + (type == null ? " (no \"type\" field)" : " type \"" + type
                            + "\"") + "; expected one of " + endpoints.byFirstFrame().keySet()), BAD_REQUEST,
                            "unknown first frame");
                    return;
                }
                dialect = owner;
            }
            endpoints.meters().frame(dialect.name());
            admit(conn, dialect.admit(handshake, text));
            return;
        }
        LocalSession current = session;
        if (current == null) {
            return;
        }
        if (!dialect.ratesItsOwnFrames() && !endpoints.sessions().allowFrame(current)) {
            endpoints.meters().error(dialect.name(), DialectMeters.Reason.rate_limited);
            refuse(conn, error("too many messages per second"), 4429, "rate limit");
            return;
        }
        endpoints.meters().frame(dialect.name());
        try {
            dialect.onFrame(new DialectSession(dialect, current), text);
        } catch (RuntimeException e) {
            endpoints.meters().error(dialect.name(), DialectMeters.Reason.handler_failure);
            LOG.log(Level.WARNING, "dialect " + dialect.name() + " failed on a frame of connection " + conn.id(), e);
            refuse(conn, error("the server could not handle this frame"), 1011, "internal error");
        }
    }

    @Override
    public void onMessage(WsSession ws, BufferData buffer, boolean last) {
        WsConnection conn = connection;
        if (conn != null && !conn.isClosing()) {
            conn.seen();
            endpoints.meters().error(dialectName(), DialectMeters.Reason.binary_frame);
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
            endpoints.meters().error(dialectName(), DialectMeters.Reason.rate_limited);
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
            endpoints.sessions().closed(current);
            if (dialectOpened.compareAndSet(true, false)) {
                dialect.closed(new DialectSession(dialect, current));
            }
        }
        if (counted.compareAndSet(true, false)) {
            endpoints.meters().closed(dialect.name());
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

    /** The dialect's name, or null while {@code /ws} waits for the first frame to name one. */
    private String dialectName() {
        Dialect d = dialect;
        return d == null ? null : d.name();
    }

    /** A generic error frame for faults the dialect did not answer itself. */
    static String error(String message) {
        return "{\"type\":\"error\",\"payload\":" + FirstFrames.quote(message) + "}";
    }
}
