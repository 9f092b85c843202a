package io.relaymesh.adapters.web.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** JSON bodies for HTTP answers, including errors that name the problem. */
final class JsonResponses {
    static final ObjectMapper JSON = new ObjectMapper();

    private JsonResponses() {
    }

    static void send(ServerResponse res, Status status, ObjectNode body) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderValues.CACHE_NO_CACHE);
        res.send(body.toString());
    }

    /** {@code {"error":{"code":..,"message":..,"field":..}}}; field omitted when null. */
    static void error(ServerResponse res, Status status, String code, String message, String field) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        send(res, status, body);
    }
}
