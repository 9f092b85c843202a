package io.relaymesh.adapters.web.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.relaymesh.application.admin.ClusterOverview;
import io.relaymesh.application.admin.RouteOverview;
import io.relaymesh.application.admin.SessionAdmin;
import io.relaymesh.application.auth.ApiKeys;
import io.relaymesh.application.auth.TokenRevocation;
import io.relaymesh.domain.model.Names;
import io.relaymesh.domain.model.SessionKey;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admin HTTP API under {@code /admin/api/} that the dashboards read (docs/admin-api.md): the
 * cluster with its pods' stats, sessions and routes cluster-wide, kicking a session, and revoking a
 * token. Every
 * request needs the admin API key in the {@code X-API-Key} header (never in the URL); every answer
 * is JSON with {@code Cache-Control: no-store}; every error names the problem (and the field).
 * Stateless and thread-safe.
 */
public final class AdminApiService implements HttpService {
    private static final Logger LOG = Logger.getLogger(AdminApiService.class.getName());
    private static final HeaderName API_KEY = HeaderNames.create("X-API-Key");
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;
    private static final String CLUSTER = "/admin/api/cluster";
    private static final String SESSIONS = "/admin/api/sessions";
    private static final String KICK = "/admin/api/sessions/kick";
    private static final String ROUTES = "/admin/api/routes";
    private static final String REVOKE = "/admin/api/tokens/revoke";

    private final Supplier<ApiKeys> keys;
    private final ClusterOverview cluster;
    private final SessionAdmin sessions;
    private final RouteOverview routes;
    private final TokenRevocation revocation;

    public AdminApiService(Supplier<ApiKeys> keys, ClusterOverview cluster, SessionAdmin sessions,
                           RouteOverview routes, TokenRevocation revocation) {
        this.keys = keys;
        this.cluster = cluster;
        this.sessions = sessions;
        this.routes = routes;
        this.revocation = revocation;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any("/admin/api", this::authenticate)
                .any("/admin/api/*", this::authenticate)
                .get(CLUSTER, this::cluster)
                .get(SESSIONS, this::sessions)
                .post(KICK, this::kick)
                .get(ROUTES, this::routes)
                .post(REVOKE, this::revoke)
                .any(CLUSTER, methodNotAllowed("GET"))
                .any(SESSIONS, methodNotAllowed("GET"))
                .any(KICK, methodNotAllowed("POST"))
                .any(ROUTES, methodNotAllowed("GET"))
                .any(REVOKE, methodNotAllowed("POST"))
                .any("/admin/api", this::notFound)
                .any("/admin/api/*", this::notFound);
    }

    /** Lets the request on only with the admin API key (current or still in its rotation overlap). */
    private void authenticate(ServerRequest req, ServerResponse res) {
        String key = req.headers().first(API_KEY).orElse(null);
        if (keys.get().isAdmin(key)) {
            res.next();
            return;
        }
        if (keys.get().isClientKey(key)) {
            error(res, Status.FORBIDDEN_403, "InvalidAPIKey", GatewayHttpService.CLIENT_KEY_REFUSED, null);
            return;
        }
        error(res, Status.UNAUTHORIZED_401, "InvalidAPIKey",
                "the X-API-Key header is missing or is not the admin API key", null);
    }

    private void cluster(ServerRequest req, ServerResponse res) {
        ClusterOverview.View view;
        try {
            view = cluster.view();
        } catch (RuntimeException e) {
            unavailable(res, "the cluster state", e);
            return;
        }
        JsonResponses.send(res, Status.OK_200, AdminJson.cluster(view), JsonResponses.NO_STORE);
    }

    private void sessions(ServerRequest req, ServerResponse res) {
        Query query = query(req, res);
        if (query == null) {
            return;
        }
        ObjectNode body;
        try {
            body = AdminJson.sessions(sessions.list(query.text(), query.limit()));
        } catch (RuntimeException e) {
            unavailable(res, "the session store", e);
            return;
        }
        JsonResponses.send(res, Status.OK_200, body, JsonResponses.NO_STORE);
    }

    private void routes(ServerRequest req, ServerResponse res) {
        Query query = query(req, res);
        if (query == null) {
            return;
        }
        ObjectNode body;
        try {
            body = AdminJson.routes(routes.list(query.text(), query.limit()));
        } catch (RuntimeException e) {
            unavailable(res, "the route registry", e);
            return;
        }
        JsonResponses.send(res, Status.OK_200, body, JsonResponses.NO_STORE);
    }

    private void kick(ServerRequest req, ServerResponse res) {
        JsonNode body = JsonResponses.readObject(req, res, JsonResponses.NO_STORE);
        if (body == null) {
            return;
        }
        SessionKey key = sessionKey(body, res);
        if (key == null) {
            return;
        }
        SessionAdmin.Kick kick;
        try {
            kick = sessions.kick(key);
        } catch (RuntimeException e) {
            unavailable(res, "the session store", e);
            return;
        }
        switch (kick) {
            case SessionAdmin.Kick.NotFound notFound -> error(res, Status.NOT_FOUND_404, "NotFound",
                    "no connected session " + key.value(), null);
            case SessionAdmin.Kick.Kicked kicked -> {
                ObjectNode answer = JsonResponses.JSON.createObjectNode();
                answer.put("kicked", true);
                answer.put("session_key", kicked.key().value());
                answer.put("pod_id", kicked.pod().value());
                answer.put("released", kicked.released());
                JsonResponses.send(res, Status.OK_200, answer, JsonResponses.NO_STORE);
            }
        }
    }

    /**
     * Revokes a token until it expires: {@code {"jti":"…","expires_at":<unix s>}}, or
     * {@code {"token":"…"}} (read only when it verifies). Answers what was revoked.
     */
    private void revoke(ServerRequest req, ServerResponse res) {
        JsonNode body = JsonResponses.readObject(req, res, JsonResponses.NO_STORE);
        if (body == null) {
            return;
        }
        JsonNode token = body.get("token");
        JsonNode jti = body.get("jti");
        boolean byToken = token != null && !token.isNull();
        boolean byId = jti != null && !jti.isNull() || body.has("expires_at");
        if (byToken == byId) {
            badRequest(res, byToken ? "give either token, or jti and expires_at; not both"
                    : "give token, or jti and expires_at (unix seconds)", byToken ? "jti" : "token");
            return;
        }
        TokenRevocation.Outcome outcome;
        try {
            if (byToken) {
                if (!token.isTextual()) {
                    badRequest(res, "token must be a string", "token");
                    return;
                }
                outcome = revocation.revokeToken(token.asText());
            } else {
                if (jti == null || !jti.isTextual()) {
                    badRequest(res, jti == null || jti.isNull() ? "jti is required" : "jti must be a string", "jti");
                    return;
                }
                JsonNode expires = body.get("expires_at");
                if (expires == null || !expires.canConvertToLong() || !expires.isIntegralNumber()) {
                    badRequest(res, "expires_at is required: the token's expiry as whole unix seconds", "expires_at");
                    return;
                }
                outcome = revocation.revokeId(jti.asText(), java.time.Instant.ofEpochSecond(
                        Math.max(0, Math.min(expires.asLong(), java.time.Instant.MAX.getEpochSecond()))));
            }
        } catch (RuntimeException e) {
            unavailable(res, "the revocation list", e);
            return;
        }
        ObjectNode answer = JsonResponses.JSON.createObjectNode();
        switch (outcome) {
            case TokenRevocation.Outcome.Invalid invalid -> {
                badRequest(res, invalid.message(), invalid.field());
                return;
            }
            case TokenRevocation.Outcome.Revoked revoked -> {
                answer.put("revoked", true);
                answer.put("jti", revoked.tokenId());
                answer.put("expires_at", revoked.expiresAt().getEpochSecond());
                answer.put("kind", revoked.kind());
                answer.put("already_revoked", !revoked.newly());
            }
            case TokenRevocation.Outcome.AlreadyExpired expired -> {
                answer.put("revoked", false);
                if (!expired.tokenId().isEmpty()) {
                    answer.put("jti", expired.tokenId());
                }
                answer.put("message", "the token has already expired and is refused anyway; nothing to revoke");
            }
        }
        JsonResponses.send(res, Status.OK_200, answer, JsonResponses.NO_STORE);
    }

    /** The session a kick names: {@code admin_id}, or {@code company_id}, {@code agent_id} and {@code user_id}. */
    private static SessionKey sessionKey(JsonNode body, ServerResponse res) {
        JsonNode admin = body.get("admin_id");
        boolean anyUserField = body.has("company_id") || body.has("agent_id") || body.has("user_id");
        if (admin != null && !admin.isNull()) {
            if (anyUserField) {
                badRequest(res, "give either admin_id, or company_id, agent_id and user_id; not both", "admin_id");
                return null;
            }
            String adminId = segment(body, "admin_id", res);
            return adminId == null ? null : SessionKey.admin(adminId);
        }
        if (!anyUserField) {
            badRequest(res, "give admin_id, or company_id, agent_id and user_id", "company_id");
            return null;
        }
        String company = segment(body, "company_id", res);
        if (company == null) {
            return null;
        }
        String agent = segment(body, "agent_id", res);
        if (agent == null) {
            return null;
        }
        String user = segment(body, "user_id", res);
        return user == null ? null : SessionKey.user(company, agent, user);
    }

    /** A required id field, valid as a key segment; null after answering 400 naming it. */
    private static String segment(JsonNode body, String field, ServerResponse res) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            badRequest(res, field + " is required", field);
            return null;
        }
        if (!node.isTextual()) {
            badRequest(res, field + " must be a string", field);
            return null;
        }
        String problem = Names.problemWith(node.asText());
        if (problem != null) {
            badRequest(res, field + " " + problem, field);
            return null;
        }
        return node.asText();
    }

    /** The {@code q} and {@code limit} of a listing. */
    private record Query(String text, int limit) {
    }

    /** The listing parameters; null after answering 400 naming the parameter. */
    private static Query query(ServerRequest req, ServerResponse res) {
        String text = req.query().first("q").orElse("");
        if (text.length() > Names.MAX_LENGTH) {
            badRequest(res, "q must be at most " + Names.MAX_LENGTH + " characters", "q");
            return null;
        }
        Optional<String> limitText = req.query().first("limit").asOptional();
        int limit = DEFAULT_LIMIT;
        if (limitText.isPresent()) {
            try {
                limit = Integer.parseInt(limitText.get().strip());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                badRequest(res, "limit must be an integer from 1 to " + MAX_LIMIT + ", got '" + limitText.get() + "'",
                        "limit");
                return null;
            }
        }
        return new Query(text, limit);
    }

    private static Handler methodNotAllowed(String allowed) {
        return (req, res) -> {
            res.header(HeaderValues.create(HeaderNames.ALLOW, allowed));
            error(res, Status.METHOD_NOT_ALLOWED_405, "MethodNotAllowed", req.prologue().method().text() + " "
                    + req.path().path() + " is not supported; use " + allowed, null);
        };
    }

    private void notFound(ServerRequest req, ServerResponse res) {
        error(res, Status.NOT_FOUND_404, "NotFound", "no admin API endpoint " + req.path().path() + "; see "
                + String.join(", ", List.of(CLUSTER, SESSIONS, KICK, ROUTES, REVOKE)), null);
    }

    private static void unavailable(ServerResponse res, String what, RuntimeException e) {
        LOG.log(Level.WARNING, what + " could not be read for the admin API", e);
        error(res, Status.SERVICE_UNAVAILABLE_503, "InternalServerError", what + " is unavailable: " + e.getMessage(),
                null);
    }

    private static void badRequest(ServerResponse res, String message, String field) {
        error(res, Status.BAD_REQUEST_400, "BadRequest", message, field);
    }

    private static void error(ServerResponse res, Status status, String code, String message, String field) {
        JsonResponses.error(res, status, code, message, field, JsonResponses.NO_STORE);
    }
}
