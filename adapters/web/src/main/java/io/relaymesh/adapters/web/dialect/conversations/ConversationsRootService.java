package io.relaymesh.adapters.web.dialect.conversations;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /} as the seed's gateway answers it, {@code {"service":"WebSocket Gateway","status":"ok"}},
 * when the request asks for JSON ({@code Accept: application/json}); other requests (a browser)
 * go on to the status pages. Stateless.
 */
public final class ConversationsRootService implements HttpService {
    static final String BODY = "{\"service\":\"WebSocket Gateway\",\"status\":\"ok\"}";

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::root);
    }

    private void root(ServerRequest req, ServerResponse res) {
        String accept = req.headers().first(HeaderNames.ACCEPT).orElse("");
        if (!accept.contains("application/json")) {
            res.next();
            return;
        }
        res.header(HeaderValues.CONTENT_TYPE_JSON).send(BODY);
    }
}
