package io.relaymesh.adapters.web.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import io.relaymesh.adapters.web.LogContext;
import io.relaymesh.adapters.web.limits.ClientErrorLog;
import io.relaymesh.adapters.web.limits.ClientLimits;
import io.relaymesh.application.auth.AuthResult;
import io.relaymesh.application.connection.Gateway;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.connection.Principal;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.application.connection.ErrorCode;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.Names;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WebSocket connection's inbound side (Helidon makes one listener per connection and calls it
 * from that connection's reader thread). The upgrade is always accepted so that a browser can read
 * the error frame and close code of a refusal. Each callback runs with the connection's log
 * context (company_id, agent_id from the path; session_key and user_id once authenticated).
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
    /** The position a resuming client last saw ({@code since}), or null. */
    private String since;
    private String pathProblem;
    private List<String> forwardedFor = List.of();
    /** The client IP whose open-connection count this socket holds (behind a trusted proxy), or null. */
    private UpgradeLimits upgradeLimits;
    private WsConnection connection;
    private volatile LocalSession session;
    private StringBuilder partial;
    private volatile Map<String, String> logFields = Map.of();

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
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        if (!ctx.origins().allows(headers.first(HeaderNames.ORIGIN).orElse(null))) {
            // Declined here, answered as plain HTTP by OriginRefusalService: 403 with a JSON body.
            ctx.metrics().originRefused(admin ? GatewayMetrics.Kind.admin : GatewayMetrics.Kind.user);
            throw new WsUpgradeException("Origin not in server.allowed_origins");
        }
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
        since = prologue.query().first("since").orElse(null);
        forwardedFor = headers.all(HeaderNames.X_FORWARDED_FOR, List::of);
        if (company != null && pathProblem == null) {
            logFields = Map.of(LogContext.COMPANY_ID, company, LogContext.AGENT_ID, agent);
        }
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession ws) {
        try (LogContext ignored = LogContext.with(logFields)) {
            open(ws);
        }
    }

    private void open(WsSession ws) {
        ConnectionId id = new ConnectionId(ctx.ids().next());
        connection = new WsConnection(id, ws, ctx.writerSettings(), ctx.writers(), ctx.metrics());
        connection.onEnd(this::cleanUp);
        ProtocolErrorGuard.OPEN.set(connection);
        upgradeLimits = new UpgradeLimits(ctx.limits());
        String limitProblem = upgradeLimits.check(ws, forwardedFor);
        if (limitProblem != null) {
            apiKey = null;
            token = null;
            connection.fail(ErrorCode.RateLimitExceeded, limitProblem);
            return;
        }
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
        // The credentials are needed once: do not keep them (nor their memory) for the connection's life.
        String key = apiKey;
        String presented = token;
        apiKey = null;
        token = null;
        Gateway gateway = ctx.gateway();
        AuthResult auth = admin ? gateway.authenticateAdmin(key, presented)
                : gateway.authenticateUser(key, presented, company, agent);
        switch (auth) {
            case AuthResult.Refused refused -> {
                LOG.fine(() -> "connection " + id + " refused: " + refused.code() + " " + refused.message());
                connection.fail(refused.code(), refused.message());
            }
            case AuthResult.Authenticated authenticated -> {
                logFields = fieldsOf(authenticated.principal());
                try (LogContext ignored = LogContext.with(logFields)) {
                    Principal principal = authenticated.principal();
                    switch (gateway.open(principal, connection, List.of(principal.baseRoute()), true, since)) {
                        case Gateway.Opening.Refused refused -> connection.fail(refused.code(), refused.message());
                        case Gateway.Opening.Opened opened -> {
                            session = opened.session();
                            LOG.fine(() -> "connection " + id + " ready");
                            if (connection.isClosing()) {
                                // Ended while we were opening (client left, or taken over): clean up now.
                                gateway.closed(session);
                            }
                        }
                    }
                }
            }
        }
    }

    /** The log context of an authenticated connection. */
    static Map<String, String> fieldsOf(Principal principal) {
        Map<String, String> fields = new HashMap<>();
        fields.put(LogContext.SESSION_KEY, principal.sessionKey().value());
        switch (principal) {
            case Principal.User user -> {
                fields.put(LogContext.COMPANY_ID, user.claims().companyId());
                fields.put(LogContext.AGENT_ID, user.claims().agentId());
                fields.put(LogContext.USER_ID, user.claims().userId());
            }
            case Principal.Admin admin -> {
                // An admin's subscription; empty (all) is left out.
                fields.put(LogContext.COMPANY_ID, admin.claims().subscribedCompanyId());
                fields.put(LogContext.AGENT_ID, admin.claims().subscribedAgentId());
            }
            default -> { }
        }
        return Map.copyOf(fields);
    }

    @Override
    public void onMessage(WsSession ws, String text, boolean last) {
        try (LogContext ignored = LogContext.with(logFields)) {
            receive(text, last);
        }
    }

    private void receive(String text, boolean last) {
        WsConnection conn = connection;
        if (conn == null) {
            return;
        }
        conn.seen();
        if (text.indexOf('\uFFFD') >= 0 && !conn.isClosing()) {
            // Helidon decodes text frames leniently, turning invalid UTF-8 into U+FFFD; the bytes are
            // gone by now, so a U+FFFD is taken as the mark of invalid UTF-8 (RFC 6455 §8.1: close 1007).
            ctx.limits().metrics().protocolError("invalid_utf8");
            ClientErrorLog.shared().log("connection " + conn.id() + ": text frame is not valid UTF-8; closing with 1007");
            conn.fail(ErrorCode.BadRequest, "text frame is not valid UTF-8 (a raw U+FFFD counts as invalid)", 1007);
            return;
        }
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
            try (LogContext ignored = LogContext.with(logFields)) {
                conn.fail(ErrorCode.BadRequest, "binary frames are not supported; send JSON text frames");
            }
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
        if (current != null && !conn.isClosing() && !ctx.gateway().allowFrame(current)) {
            // Pings count against the client's frame rate: a flood is cut, not answered.
            ctx.limits().metrics().rateLimited(ClientLimits.PINGS);
            try (LogContext ignored = LogContext.with(logFields)) {
                conn.fail(ErrorCode.RateLimitExceeded, "too many pings per second");
            }
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
            try (LogContext ignored = LogContext.with(logFields)) {
                conn.ended();
            }
        }
    }

    @Override
    public void onError(WsSession ws, Throwable t) {
        try (LogContext ignored = LogContext.with(logFields)) {
            LOG.log(Level.FINE, "connection error", t);
            WsConnection conn = connection;
            if (conn != null) {
                conn.ended();
            }
        }
    }

    /** Runs once when the connection ends, on whichever thread ended it. */
    private void cleanUp() {
        try (LogContext ignored = LogContext.with(logFields)) {
            ctx.tracker().remove(connection);
            if (upgradeLimits != null) {
                upgradeLimits.release();
            }
            LocalSession current = session;
            if (current != null) {
                ctx.gateway().closed(current);
            }
        }
    }
}
