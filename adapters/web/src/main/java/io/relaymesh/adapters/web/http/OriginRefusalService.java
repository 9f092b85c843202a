package io.relaymesh.adapters.web.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.relaymesh.adapters.web.ws.OriginPolicy;

/**
 * The answer to a WebSocket upgrade refused for its {@code Origin}: the listener declines the
 * upgrade, Helidon then routes the request as plain HTTP, and this service answers 403 with a JSON
 * body naming the problem (rather than the 404 an unknown path would get). Stateless, thread-safe.
 */
public final class OriginRefusalService implements HttpService {
    private final OriginPolicy origins;

    public OriginRefusalService(OriginPolicy origins) {
        this.origins = origins;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/ws/admin", this::refuse).get("/ws/*", this::refuse);
    }

    private void refuse(ServerRequest req, ServerResponse res) {
        String origin = req.headers().first(HeaderNames.ORIGIN).orElse(null);
        if (origins.allows(origin)) {
            res.next();
            return;
        }
        // The origin is the caller's own header, but it is shown quoted and cut short all the same.
        String shown = origin.length() > 100 ? origin.substring(0, 100) + "…" : origin;
        JsonResponses.error(res, Status.FORBIDDEN_403, "OriginNotAllowed", "Origin \"" + shown
                + "\" may not open WebSockets here (server.allowed_origins)", null, JsonResponses.NO_STORE);
    }
}
