package io.relaymesh.adapters.web.dialect.topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.relaymesh.adapters.web.http.RequestBodies;
import io.relaymesh.application.auth.ApiKeys;
import io.relaymesh.application.dialect.topics.Consumers;
import io.relaymesh.application.dialect.topics.LongPoll;
import io.relaymesh.application.dialect.topics.TopicPublisher;
import io.relaymesh.application.dialect.topics.Topics;
import io.relaymesh.application.dialect.topics.TopicsSettings;
import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.Names;
import io.relaymesh.domain.port.JwtVerifier;
import io.relaymesh.domain.topics.TopicMessage;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Pulsar Relay's HTTP API: producers ({@code POST /api/v1/messages}, {@code /api/v1/messages/bulk},
 * with {@code Authorization: Bearer <auth.admin_secret_token>}) and long-poll consumers
 * ({@code GET /api/v1/poll}, {@code POST /api/v1/ack}, with {@code Authorization: Bearer <JWT>}).
 * Every refusal is a JSON body {@code {"error":{"code","message","field"}}}. Thread-safe; a poll
 * holds its (virtual) request thread while it waits.
 */
public final class TopicsHttpService implements HttpService {
    private static final Logger LOG = Logger.getLogger(TopicsHttpService.class.getName());
    private static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");
    private static final HeaderName API_KEY = HeaderNames.create("X-API-Key");

    private final Supplier<ApiKeys> keys;
    private final TopicsAuth auth;
    private final TopicPublisher publisher;
    private final LongPoll poll;
    private final Supplier<TopicsSettings> settings;
    private final TopicsMeters meters;

    public TopicsHttpService(Supplier<ApiKeys> keys, Supplier<JwtVerifier> jwt, TopicPublisher publisher, LongPoll poll,
                             Supplier<TopicsSettings> settings, TopicsMeters meters) {
        this.keys = keys;
        this.auth = new TopicsAuth(jwt);
        this.publisher = publisher;
        this.poll = poll;
        this.settings = settings;
        this.meters = meters;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/api/v1/messages", this::publish)
                .post("/api/v1/messages/bulk", this::publishBulk)
                .get("/api/v1/poll", this::poll)
                .post("/api/v1/ack", this::ack);
    }

    private void publish(ServerRequest req, ServerResponse res) {
        JsonNode body = producerBody(req, res);
        if (body == null) {
            return;
        }
        TopicPublisher.Request request = request(body, req.headers().first(IDEMPOTENCY_KEY).orElse(null));
        if (request == null) {
            refuse(res, Status.BAD_REQUEST_400, "BadRequest", problemOf(body), fieldOf(body));
            return;
        }
        TopicPublisher.Outcome outcome = publisher.publish(request);
        switch (outcome) {
            case TopicPublisher.Outcome.Accepted accepted -> {
                meters.published(accepted.duplicate() ? "duplicate" : "accepted", 1);
                send(res, Status.OK_200, accepted(accepted));
            }
            case TopicPublisher.Outcome.Invalid invalid -> {
                meters.published("rejected", 1);
                refuse(res, invalid.code().equals("PayloadTooLarge") ? Status.REQUEST_ENTITY_TOO_LARGE_413
                        : Status.BAD_REQUEST_400, invalid.code(), invalid.message(), invalid.field());
            }
            case TopicPublisher.Outcome.RateLimited limited -> {
                meters.published("rejected", 1);
                res.header(HeaderValues.create(HeaderNames.RETRY_AFTER, "1"));
                refuse(res, Status.TOO_MANY_REQUESTS_429, "RateLimitExceeded", limited.message(), null);
            }
            case TopicPublisher.Outcome.Unavailable unavailable -> {
                meters.published("rejected", 1);
                refuse(res, Status.SERVICE_UNAVAILABLE_503, "Unavailable", unavailable.message(), null);
            }
        }
    }

    private void publishBulk(ServerRequest req, ServerResponse res) {
        JsonNode body = producerBody(req, res);
        if (body == null) {
            return;
        }
        JsonNode messages = body.get("messages");
        int max = settings.get().maxBulkMessages();
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            refuse(res, Status.BAD_REQUEST_400, "BadRequest", "\"messages\" must be a non-empty list of messages",
                    "messages");
            return;
        }
        if (messages.size() > max) {
            refuse(res, Status.REQUEST_ENTITY_TOO_LARGE_413, "TooManyMessages", messages.size()
                    + " messages; at most " + max + " per bulk request (dialects.topics.max_bulk_messages)", "messages");
            return;
        }
        String idempotency = req.headers().first(IDEMPOTENCY_KEY).orElse(null);
        ObjectNode answer = TopicFrames.JSON.createObjectNode();
        ArrayNode results = answer.putArray("results");
        int accepted = 0;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode item = messages.get(i);
            ObjectNode result;
            TopicPublisher.Request request = item.isObject()
                    ? request(item, idempotency == null ? null : idempotency + ":" + i) : null;
            if (request == null) {
                result = rejected("BadRequest", item.isObject() ? problemOf(item) : "each message must be a JSON object",
                        item.isObject() ? fieldOf(item) : null);
                meters.published("rejected", 1);
            } else {
                switch (publisher.publish(request)) {
                    case TopicPublisher.Outcome.Accepted ok -> {
                        result = accepted(ok);
                        accepted++;
                        meters.published(ok.duplicate() ? "duplicate" : "accepted", 1);
                    }
                    case TopicPublisher.Outcome.Invalid invalid -> {
                        result = rejected(invalid.code(), invalid.message(), invalid.field());
                        meters.published("rejected", 1);
                    }
                    case TopicPublisher.Outcome.RateLimited limited -> {
                        result = rejected("RateLimitExceeded", limited.message(), null);
                        meters.published("rejected", 1);
                    }
                    case TopicPublisher.Outcome.Unavailable unavailable -> {
                        result = rejected("Unavailable", unavailable.message(), null);
                        meters.published("rejected", 1);
                    }
                }
            }
            result.put("index", i);
            results.add(result);
        }
        answer.put("accepted", accepted);
        answer.put("rejected", messages.size() - accepted);
        send(res, Status.OK_200, answer);
    }

    private static ObjectNode accepted(TopicPublisher.Outcome.Accepted accepted) {
        TopicMessage m = accepted.message();
        ObjectNode node = TopicFrames.JSON.createObjectNode();
        node.put("status", accepted.duplicate() ? "duplicate" : "accepted");
        node.put("message_id", m.messageId());
        node.put("topic", m.topic());
        node.put("timestamp", Instant.ofEpochMilli(m.publishedAtMillis()).toString());
        return node;
    }

    private static ObjectNode rejected(String code, String message, String field) {
        ObjectNode node = TopicFrames.JSON.createObjectNode();
        node.put("status", "rejected");
        ObjectNode error = node.putObject("error");
        error.put("code", code).put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        return node;
    }

    /** A publish request from a JSON message, or null when its fields have the wrong types. */
    private static TopicPublisher.Request request(JsonNode body, String idempotencyKey) {
        if (problemOf(body) != null) {
            return null;
        }
        JsonNode ttl = body.get("ttl");
        JsonNode id = body.get("message_id");
        return new TopicPublisher.Request(body.get("topic").asText(), TopicFrames.text(body.get("payload")),
                ttl == null || ttl.isNull() ? null : ttl.asLong(), id == null || id.isNull() ? null : id.asText(),
                idempotencyKey);
    }

    /** What is wrong with a message's field types (values are checked by the use case), or null. */
    private static String problemOf(JsonNode body) {
        JsonNode topic = body.get("topic");
        if (topic == null || !topic.isTextual()) {
            return "topic is required and must be a string";
        }
        JsonNode payload = body.get("payload");
        if (payload == null || payload.isNull()) {
            return "payload is required (any JSON value but null)";
        }
        JsonNode ttl = body.get("ttl");
        if (ttl != null && !ttl.isNull() && !ttl.canConvertToLong()) {
            return "ttl must be a whole number of seconds";
        }
        if (ttl != null && !ttl.isNull() && !ttl.isIntegralNumber()) {
            return "ttl must be a whole number of seconds";
        }
        JsonNode id = body.get("message_id");
        if (id != null && !id.isNull() && !id.isTextual()) {
            return "message_id must be a string";
        }
        return null;
    }

    private static String fieldOf(JsonNode body) {
        String problem = problemOf(body);
        return problem == null ? null : problem.substring(0, problem.indexOf(' '));
    }

    private void poll(ServerRequest req, ServerResponse res) {
        String user = consumerUser(req, res);
        if (user == null) {
            return;
        }
        String clientId = clientId(req, res, user, null);
        if (clientId == null) {
            return;
        }
        String topicsText = req.query().first("topics").orElse("");
        LinkedHashSet<String> topics = new LinkedHashSet<>();
        for (String topic : topicsText.split(",")) {
            if (!topic.isBlank()) {
                topics.add(topic.strip());
            }
        }
        TopicsSettings s = settings.get();
        if (topics.isEmpty()) {
            refuse(res, Status.BAD_REQUEST_400, "BadRequest", "topics is required: ?topics=a,b", "topics");
            return;
        }
        if (topics.size() > s.maxTopicsPerClient()) {
            refuse(res, Status.BAD_REQUEST_400, "TooManyTopics", "at most " + s.maxTopicsPerClient() + " topics per poll",
                    "topics");
            return;
        }
        for (String topic : topics) {
            String problem = Topics.problemWith(topic);
            if (problem != null) {
                refuse(res, Status.BAD_REQUEST_400, "InvalidTopic", "\"" + Names.printable(topic) + "\": " + problem,
                        "topics");
                return;
            }
        }
        String timeoutText = req.query().first("timeout").orElse("30");
        long timeoutSeconds;
        try {
            timeoutSeconds = Long.parseLong(timeoutText.strip());
        } catch (NumberFormatException e) {
            timeoutSeconds = -1;
        }
        if (timeoutSeconds < 0) {
            refuse(res, Status.BAD_REQUEST_400, "BadRequest", "timeout must be a whole number of seconds, 0 or more",
                    "timeout");
            return;
        }
        // Longer than allowed is shortened, not refused: the client simply polls again sooner.
        Duration timeout = Duration.ofSeconds(Math.min(timeoutSeconds, s.maxPollTimeout().toSeconds()));
        long started = System.nanoTime();
        List<TopicMessage> messages;
        try {
            messages = poll.poll(Consumers.name(user, clientId), List.copyOf(topics), timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refuse(res, Status.SERVICE_UNAVAILABLE_503, "Unavailable", "the server is stopping; poll again", null);
            return;
        } catch (PortUnavailableException e) {
            LOG.log(Level.WARNING, "long-poll for " + clientId + " failed", e);
            refuse(res, Status.SERVICE_UNAVAILABLE_503, "Unavailable", "the topic store is unavailable; poll again shortly",
                    null);
            return;
        }
        meters.polled(messages.isEmpty() ? "timeout" : "messages", Duration.ofNanos(System.nanoTime() - started));
        StringBuilder out = new StringBuilder(256).append("{\"messages\":[");
        for (int i = 0; i < messages.size(); i++) {
            out.append(i == 0 ? "" : ",").append(TopicFrames.body(messages.get(i)));
        }
        out.append("],\"client_id\":").append(TopicFrames.quote(clientId)).append('}');
        res.status(Status.OK_200);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderValues.CACHE_NO_CACHE);
        res.send(out.toString());
    }

    private void ack(ServerRequest req, ServerResponse res) {
        String user = consumerUser(req, res);
        if (user == null) {
            return;
        }
        JsonNode body = readObject(req, res);
        if (body == null) {
            return;
        }
        String clientId = clientId(req, res, user, body.path("client_id").isTextual() ? body.get("client_id").asText() : null);
        if (clientId == null) {
            return;
        }
        List<String> ids = TopicFrames.strings(body.get("message_ids"));
        if (ids == null) {
            refuse(res, Status.BAD_REQUEST_400, "BadRequest", "message_ids must be a non-empty list of strings",
                    "message_ids");
            return;
        }
        List<String> unknown;
        try {
            unknown = poll.ack(Consumers.name(user, clientId), ids);
        } catch (PortUnavailableException e) {
            LOG.log(Level.WARNING, "ack for " + clientId + " failed", e);
            refuse(res, Status.SERVICE_UNAVAILABLE_503, "Unavailable", "the topic store is unavailable; ack again shortly",
                    null);
            return;
        }
        meters.acked(ids.size() - unknown.size());
        ObjectNode answer = TopicFrames.JSON.createObjectNode();
        answer.put("acknowledged", ids.size() - unknown.size());
        ArrayNode list = answer.putArray("unknown");
        unknown.forEach(list::add);
        answer.put("client_id", clientId);
        send(res, Status.OK_200, answer);
    }

    /** The consumer's user from its JWT, or null after answering 401. */
    private String consumerUser(ServerRequest req, ServerResponse res) {
        String token = TopicsAuth.bearer(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
        if (token == null) {
            token = req.query().first("token").orElse(null);
        }
        return switch (auth.verify(token)) {
            case TopicsAuth.Result.Ok ok -> ok.user();
            case TopicsAuth.Result.Refused refused -> {
                res.header(HeaderValues.create(HeaderNames.WWW_AUTHENTICATE, "Bearer"));
                refuse(res, Status.UNAUTHORIZED_401, refused.code(), refused.message(), null);
                yield null;
            }
        };
    }

    /** {@code ?client_id=}, else the body's, else the token's user; null after answering 400. */
    private String clientId(ServerRequest req, ServerResponse res, String user, String fromBody) {
        String clientId = req.query().first("client_id").orElse(fromBody != null ? fromBody : user);
        String problem = Names.problemWith(clientId);
        if (problem != null) {
            refuse(res, Status.BAD_REQUEST_400, "BadRequest", "client_id " + problem, "client_id");
            return null;
        }
        return clientId;
    }

    /** The producer's JSON body once its key is checked, or null after answering. */
    private JsonNode producerBody(ServerRequest req, ServerResponse res) {
        String key = TopicsAuth.bearer(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
        if (key == null) {
            key = req.headers().first(API_KEY).orElse(null);
        }
        if (key == null || !keys.get().isAdmin(key)) {
            meters.published("rejected", 1);
            res.header(HeaderValues.create(HeaderNames.WWW_AUTHENTICATE, "Bearer"));
            refuse(res, Status.UNAUTHORIZED_401, "InvalidAPIKey", key == null
                    ? "Authorization: Bearer <publishing key> is required (auth.admin_secret_token)"
                    : "the Bearer key is not the publishing key (auth.admin_secret_token)", null);
            return null;
        }
        return readObject(req, res);
    }

    private JsonNode readObject(ServerRequest req, ServerResponse res) {
        byte[] text = RequestBodies.bytes(req);
        try {
            JsonNode node = text.length == 0 ? null : TopicFrames.JSON.readTree(text);
            if (node != null && node.isObject()) {
                return node;
            }
            refuse(res, Status.BAD_REQUEST_400, "BadRequest", "request body must be a JSON object", null);
        } catch (IOException e) { // from a byte array: only JSON errors
            refuse(res, Status.BAD_REQUEST_400, "BadRequest", "request body is not valid JSON: " + RequestBodies.problem(e),
                    null);
        }
        return null;
    }

    private void refuse(ServerResponse res, Status status, String code, String message, String field) {
        meters.error(code);
        ObjectNode body = TopicFrames.JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code).put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        send(res, status, body);
    }

    private static void send(ServerResponse res, Status status, ObjectNode body) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderValues.CACHE_NO_CACHE);
        res.send(TopicFrames.text(body));
    }
}
