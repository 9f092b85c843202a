package io.relaymesh.adapters.web.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.relaymesh.adapters.web.LogContext;
import io.relaymesh.application.auth.ApiKeys;
import io.relaymesh.application.auth.TokenIssuer;
import io.relaymesh.application.delivery.PublishService;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.EventPublisher;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The HTTP API: token issuing, publishing, health, readiness and metrics. Every error is a JSON
 * body naming the problem (and the field, for invalid input); never a stack trace.
 */
public final class GatewayHttpService implements HttpService {
    private static final Logger LOG = Logger.getLogger(GatewayHttpService.class.getName());
    private static final io.helidon.http.HeaderName API_KEY = HeaderNames.create("X-API-Key");
    /** Said to a caller that holds only a public client key: it may open sockets, nothing more. */
    static final String CLIENT_KEY_REFUSED = "X-API-Key is a public client key (auth.client_api_key or "
            + "auth.admin_client_api_key): it only opens WebSockets and cannot mint tokens or call the HTTP API; "
            + "call this from your backend with the server key";

    private final Supplier<ApiKeys> keys;
    private final TokenIssuer issuer;
    private final PublishService publisher;
    private final PrometheusMeterRegistry registry;
    private final HealthState health;
    private final List<ReadinessCheck> readiness;
    private final IntSupplier connections;
    private final String podId;

    public GatewayHttpService(Supplier<ApiKeys> keys, TokenIssuer issuer, PublishService publisher,
                              PrometheusMeterRegistry registry, HealthState health, List<ReadinessCheck> readiness,
                              IntSupplier connections, String podId) {
        this.keys = keys;
        this.issuer = issuer;
        this.publisher = publisher;
        this.registry = registry;
        this.health = health;
        this.readiness = List.copyOf(readiness);
        this.connections = connections;
        this.podId = podId;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health", this::health)
                .get("/ready", this::ready)
                .get("/metrics", this::metrics)
                .post("/generate-token", this::generateUserToken)
                .post("/admin/generate-token", this::generateAdminToken)
                .post("/api/v1/publish", this::publish);
    }

    private void health(ServerRequest req, ServerResponse res) {
        ObjectNode body = JsonResponses.JSON.createObjectNode();
        String problem = health.problem();
        body.put("status", problem == null ? "ok" : "failing");
        body.put("connections", connections.getAsInt());
        body.put("pod_id", podId);
        if (problem != null) {
            body.put("problem", problem);
        }
        JsonResponses.send(res, problem == null ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, body);
    }

    private void ready(ServerRequest req, ServerResponse res) {
        ObjectNode body = JsonResponses.JSON.createObjectNode();
        ObjectNode checks = body.putObject("checks");
        boolean ready = health.problem() == null;
        for (ReadinessCheck check : readiness) {
            String problem;
            try {
                problem = check.problem();
            } catch (RuntimeException e) {
                problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            ObjectNode entry = checks.putObject(check.name());
            entry.put("status", problem == null ? "up" : "down");
            if (problem != null) {
                entry.put("problem", problem);
                ready = false;
            }
        }
        body.put("status", ready ? "ready" : "not_ready");
        body.put("pod_id", podId);
        JsonResponses.send(res, ready ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, body);
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        res.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8"));
        res.send(registry.scrape());
    }

    private void generateUserToken(ServerRequest req, ServerResponse res) {
        JsonNode body = authorizedBody(req, res, false);
        if (body == null) {
            return;
        }
        Fields f = new Fields(body);
        TokenIssuer.UserTokenRequest request = new TokenIssuer.UserTokenRequest(f.text("company_id"),
                f.text("agent_id"), f.text("user_id"), f.number("expires_in_seconds"), f.texts("allowed_chat_ids"));
        if (f.problem != null) {
            JsonResponses.error(res, Status.BAD_REQUEST_400, "BadRequest", f.problem, f.problemField);
            return;
        }
        answer(res, issuer.issueUser(request));
    }

    private void generateAdminToken(ServerRequest req, ServerResponse res) {
        JsonNode body = authorizedBody(req, res, true);
        if (body == null) {
            return;
        }
        Fields f = new Fields(body);
        TokenIssuer.AdminTokenRequest request = new TokenIssuer.AdminTokenRequest(f.text("admin_id"),
                f.number("expires_in_seconds"), f.text("subscribed_company_id"), f.text("subscribed_agent_id"),
                f.text("company_id_restriction"));
        if (f.problem != null) {
            JsonResponses.error(res, Status.BAD_REQUEST_400, "BadRequest", f.problem, f.problemField);
            return;
        }
        answer(res, issuer.issueAdmin(request));
    }

    private void answer(ServerResponse res, TokenIssuer.Issue issue) {
        switch (issue) {
            case TokenIssuer.Issue.Issued issued -> {
                ObjectNode body = JsonResponses.JSON.createObjectNode();
                body.put("token", issued.token());
                body.put("expires_at", issued.expiresAt().getEpochSecond());
                // The id by which the token can be revoked (POST /admin/api/tokens/revoke).
                body.put("jti", issued.tokenId());
                JsonResponses.send(res, Status.OK_200, body);
            }
            case TokenIssuer.Issue.Invalid invalid ->
                    JsonResponses.error(res, Status.BAD_REQUEST_400, "BadRequest", invalid.message(), invalid.field());
        }
    }

    private void publish(ServerRequest req, ServerResponse res) {
        JsonNode body = authorizedBody(req, res, true);
        if (body == null) {
            return;
        }
        JsonNode subject = body.get("subject");
        if (subject == null || !subject.isTextual()) {
            JsonResponses.error(res, Status.BAD_REQUEST_400, "BadRequest",
                    "subject is required and must be a string", "subject");
            return;
        }
        JsonNode payload = body.get("payload");
        if (payload == null || !payload.isObject()) {
            JsonResponses.error(res, Status.BAD_REQUEST_400, "BadRequest",
                    "payload is required and must be a JSON object", "payload");
            return;
        }
        JsonNode eventId = payload.get("event_id");
        if (eventId != null && !eventId.isTextual()) {
            JsonResponses.error(res, Status.BAD_REQUEST_400, "BadRequest",
                    "payload.event_id must be a string when present", "payload.event_id");
            return;
        }
        if (eventId == null) {
            // Clients deduplicate by event_id, so an event without one gets one inside its payload.
            ((com.fasterxml.jackson.databind.node.ObjectNode) payload).put("event_id", java.util.UUID.randomUUID().toString());
            eventId = payload.get("event_id");
        }
        try (LogContext ignored = LogContext.with(publishFields(publisher, subject.asText(), eventId.asText()))) {
            publish(res, subject.asText(), payload.toString(), eventId.asText());
        }
    }

    /** {@code event_id}, and {@code route_key} when the subject is valid. */
    private static Map<String, String> publishFields(PublishService publisher, String subject, String eventId) {
        Map<String, String> fields = new HashMap<>();
        fields.put(LogContext.EVENT_ID, eventId);
        publisher.audienceOf(subject).ifPresent(keys -> fields.put(LogContext.ROUTE_KEY,
                keys.stream().map(RouteKey::value).collect(Collectors.joining(","))));
        return fields;
    }

    private void publish(ServerResponse res, String subject, String payload, String eventId) {
        PublishService.Outcome outcome;
        try {
            outcome = publisher.publish(subject, payload, eventId);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "publish to " + subject + " failed", e);
            JsonResponses.error(res, Status.SERVICE_UNAVAILABLE_503, "InternalServerError",
                    "the event could not be published; retry with the same event_id", null);
            return;
        }
        switch (outcome) {
            case PublishService.Outcome.Invalid invalid ->
                    JsonResponses.error(res, Status.BAD_REQUEST_400, "BadRequest", invalid.message(), invalid.field());
            case PublishService.Outcome.Done done -> {
                ObjectNode answer = JsonResponses.JSON.createObjectNode();
                switch (done.published()) {
                    case EventPublisher.Published.Accepted accepted -> {
                        LOG.fine(() -> "event published to " + subject + (accepted.delivered() >= 0
                                ? ", queued for " + accepted.delivered() + " local connection(s)" : ""));
                        answer.put("event_id", accepted.eventId());
                        answer.put("status", "accepted");
                        if (accepted.delivered() >= 0) {
                            answer.put("delivered", accepted.delivered());
                        }
                    }
                    case EventPublisher.Published.Duplicate duplicate -> {
                        LOG.fine(() -> "event to " + subject + " is a duplicate; not published again");
                        answer.put("event_id", duplicate.eventId());
                        answer.put("status", "duplicate");
                    }
                }
                JsonResponses.send(res, Status.OK_200, answer);
            }
        }
    }

    /** Checks the API key (admin or general), then reads the JSON body; null after answering 401/400. */
    private JsonNode authorizedBody(ServerRequest req, ServerResponse res, boolean admin) {
        String key = apiKey(req);
        ApiKeys current = keys.get();
        if (admin ? !current.isAdmin(key) : !current.isGeneral(key)) {
            if (current.isClientKey(key)) {
                JsonResponses.error(res, Status.FORBIDDEN_403, "InvalidAPIKey", CLIENT_KEY_REFUSED, null);
            } else {
                unauthorized(res, "X-API-Key is missing or is not the " + (admin ? "admin" : "general") + " API key");
            }
            return null;
        }
        return JsonResponses.readObject(req, res);
    }

    /**
     * The API key from the X-API-Key header only: unlike a WebSocket, an HTTP client can always set
     * a header, and a key in a URL ends up in proxy logs and browser history.
     */
    private static String apiKey(ServerRequest req) {
        return req.headers().first(API_KEY).orElse(null);
    }

    private static void unauthorized(ServerResponse res, String message) {
        JsonResponses.error(res, Status.UNAUTHORIZED_401, "InvalidAPIKey", message, null);
    }

    /** Reads typed fields, remembering the first wrongly typed one. */
    private static final class Fields {
        private final JsonNode body;
        private String problem;
        private String problemField;

        Fields(JsonNode body) {
            this.body = body;
        }

        String text(String name) {
            JsonNode node = body.get(name);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isTextual()) {
                fail(name, name + " must be a string");
                return null;
            }
            return node.asText();
        }

        /** A list of strings, or null when absent. */
        List<String> texts(String name) {
            JsonNode node = body.get(name);
            if (node == null || node.isNull()) {
                return null;
            }
            List<String> values = new java.util.ArrayList<>();
            if (node.isArray()) {
                for (JsonNode item : node) {
                    if (!item.isTextual()) {
                        break;
                    }
                    values.add(item.asText());
                }
            }
            if (!node.isArray() || values.size() != node.size()) {
                fail(name, name + " must be a list of strings");
                return null;
            }
            return values;
        }

        Long number(String name) {
            JsonNode node = body.get(name);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.canConvertToLong() || !node.isIntegralNumber()) {
                fail(name, name + " must be an integer number of seconds");
                return null;
            }
            return node.asLong();
        }

        private void fail(String field, String message) {
            if (problem == null) {
                problem = message;
                problemField = field;
            }
        }
    }
}
