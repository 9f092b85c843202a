package io.relaymesh.adapters.web.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.relaymesh.application.auth.AuthResult;
import io.relaymesh.application.connection.Gateway;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.domain.error.ErrorCode;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.Names;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WebSocket connection's inbound side (Helidon makes one listener per connection and calls it
 * from that connection's reader thread). The upgrade is always accepted so that a browser can read
 * the error frame and close code of a refusal.
 */
public final class GatewayWsListener implements WsListener {
    private static final Logger LOG = Logger.getLogger(GatewayWsListener.class.getName());
    private static final String ADMIN_PATH = "/ws/admin";

    private final EndpointContext ctx;
    private final boolean admin;
    private String company;
    private String agent;
    private String apiKey;
    private String token;
    private String pathProblem;
    private WsConnection connection;
    private volatile LocalSession session;
    private StringBuilder partial;

    private GatewayWsListener(EndpointContext ctx, boolean admin) {
        this.ctx = ctx;
        this.admin = admin;
    }

    public static GatewayWsListener user(EndpointContext ctx) {
        return new GatewayWsListener(ctx, false);
    }

    public static GatewayWsListener admin(EndpointContext ctx) {
        return new GatewayWsListener(ctx, true);
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        // Helidon does not hand path parameters to WebSocket listeners: parse the path here.
        String path = prologue.uriPath().path();
        if (!admin) {
            String[] parts = path.split("/", -1);
            if (parts.length != 4) {
                pathProblem = "path must be /ws/{company}/{agent}";
            } else {
                company = parts[2];
                agent = parts[3];
                String problem = Names.problemWith(company);
                if (problem != null) {
                    pathProblem = "company in the path " + problem;
                } else if ((problem = Names.problemWith(agent)) != null) {
                    pathProblem = "agent in the path " + problem;
                }
            }
        }
        apiKey = headers.first(HeaderNames.create("X-API-Key"))
                .orElseGet(() -> prologue.query().first("x-api-key").orElse(null));
        token = prologue.query().first("token").orElse(null);
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession ws) {
        ConnectionId id = new ConnectionId(ctx.ids().next());
        connection = new WsConnection(id, ws, ctx.writerSettings(), ctx.writers(), ctx.metrics());
        connection.onEnd(this::cleanUp);
        if (!ctx.tracker().add(connection)) {
            ctx.tracker().logRefusal();
            connection.fail(ErrorCode.ServerFull, "this server is at its limit of " + ctx.tracker().maxConnections()
                    + " connections; reconnect to another instance or later");
            return;
        }
        if (pathProblem != null) {
            connection.fail(ErrorCode.BadRequest, pathProblem);
            return;
        }
        Gateway gateway = ctx.gateway();
        AuthResult auth = admin ? gateway.authenticateAdmin(apiKey, token)
                : gateway.authenticateUser(apiKey, token, company, agent);
        switch (auth) {
            case AuthResult.Refused refused -> {
                LOG.fine(() -> "connection " + id + " refused: " + refused.code() + " " + refused.message());
                connection.fail(refused.code(), refused.message());
            }
            case AuthResult.Authenticated authenticated -> {
                switch (gateway.open(authenticated.principal(), connection)) {
                    case Gateway.Opening.Refused refused -> connection.fail(refused.code(), refused.message());
                    case Gateway.Opening.Opened opened -> {
                        session = opened.session();
                        if (connection.isClosing()) {
                            // Ended while we were opening (client left, or taken over): clean up now.
                            gateway.closed(session);
                        }
                    }
                }
            }
        }
    }

    @Override
    public void onMessage(WsSession ws, String text, boolean last) {
        WsConnection conn = connection;
        if (conn == null) {
            return;
        }
        conn.seen();
        LocalSession current = session;
        if (current == null || conn.isClosing()) {
            return; // not ready (refused or closing): frames are ignored
        }
        int max = ctx.maxFrameBytes();
        if (partial == null && last) {
            handleText(current, conn, text, max);
            return;
        }
        if (partial == null) {
            partial = new StringBuilder();
        }
        partial.append(text);
        if (partial.length() > max) {
            partial = null;
            conn.fail(ErrorCode.BadRequest, "frame is larger than " + max + " bytes");
            return;
        }
        if (last) {
            String whole = partial.toString();
            partial = null;
            handleText(current, conn, whole, max);
        }
    }

    private void handleText(LocalSession current, WsConnection conn, String text, int max) {
        if (text.length() > max || text.getBytes(StandardCharsets.UTF_8).length > max) {
            conn.fail(ErrorCode.BadRequest, "frame is larger than " + max + " bytes");
            return;
        }
        switch (FrameCodec.parse(text)) {
            case FrameCodec.Parsed.Bad bad -> {
                if (!ctx.gateway().allowFrame(current)) {
                    conn.fail(ErrorCode.RateLimitExceeded, "too many messages per second");
                    return;
                }
                conn.fail(ErrorCode.BadRequest, bad.reason());
            }
            case FrameCodec.Parsed.Ok ok -> {
                switch (ctx.gateway().handle(current, ok.message())) {
                    case Gateway.Handled.Ok handled -> { }
                    case Gateway.Handled.Failed failed -> {
                        if (failed.fatal()) {
                            conn.fail(failed.code(), failed.message());
                        } else {
                            conn.offer(new io.relaymesh.application.connection.ServerMessage.Error(
                                    failed.code(), failed.message(), ""));
                        }
                    }
                }
            }
        }
    }

    @Override
    public void onMessage(WsSession ws, BufferData buffer, boolean last) {
        WsConnection conn = connection;
        if (conn == null) {
            return;
        }
        conn.seen();
        if (session != null) {
            conn.fail(ErrorCode.BadRequest, "binary frames are not supported; send JSON text frames");
        }
    }

    @Override
    public void onPing(WsSession ws, BufferData buffer) {
        WsConnection conn = connection;
        if (conn == null) {
            return;
        }
        conn.seen();
        // Helidon 4.3 does not answer pings itself.
        byte[] data = new byte[buffer.available()];
        buffer.read(data);
        conn.pong(data);
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
        LOG.log(Level.FINE, "connection error", t);
        WsConnection conn = connection;
        if (conn != null) {
            conn.ended();
        }
    }

    private void cleanUp() {
        ctx.tracker().remove(connection);
        LocalSession current = session;
        if (current != null) {
            ctx.gateway().closed(current);
        }
    }
}
