package io.relaymesh.adapters.web.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;

/** JSON bodies for HTTP answers, including errors that name the problem. */
final class JsonResponses {
    // A body with text after its object is refused rather than half-read. One shared buffer pool:
    // JsonNode.toString() allocated ~19 KB per answer on virtual threads.
    static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedLockFreePool()).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonResponses() {
    }

    /** For answers that carry cluster state or secrets: no cache, proxy or browser may keep them. */
    static final Header NO_STORE = HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store");

    static void send(ServerResponse res, Status status, ObjectNode body) {
        send(res, status, body, HeaderValues.CACHE_NO_CACHE);
    }

    static void send(ServerResponse res, Status status, ObjectNode body, Header cacheControl) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(cacheControl);
        try {
            res.send(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON answer could not be written", e);
        }
    }

    /** The request body as a JSON object, or null after answering 400 (with {@code cacheControl}). */
    static JsonNode readObject(ServerRequest req, ServerResponse res, Header cacheControl) {
        byte[] text = RequestBodies.bytes(req);
        if (isBlank(text)) {
            error(res, Status.BAD_REQUEST_400, "BadRequest", "request body must be a JSON object", null, cacheControl);
            return null;
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                error(res, Status.BAD_REQUEST_400, "BadRequest", "request body must be a JSON object", null,
                        cacheControl);
                return null;
            }
            return node;
        } catch (IOException e) { // from a byte array: only JSON errors
            error(res, Status.BAD_REQUEST_400, "BadRequest", "request body is not valid JSON: " + RequestBodies.problem(e),
                    null, cacheControl);
            return null;
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    static JsonNode readObject(ServerRequest req, ServerResponse res) {
        return readObject(req, res, HeaderValues.CACHE_NO_CACHE);
    }

    /** {@code {"error":{"code":..,"message":..,"field":..}}}; field omitted when null. */
    static void error(ServerResponse res, Status status, String code, String message, String field) {
        error(res, status, code, message, field, HeaderValues.CACHE_NO_CACHE);
    }

    static void error(ServerResponse res, Status status, String code, String message, String field,
                      Header cacheControl) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        send(res, status, body, cacheControl);
    }
}
