package io.relaymesh.adapters.web.dialect.mailbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.relaymesh.application.dialect.mailbox.Mailbox;

/** The seed's {@code GET /healthz}: 200 while the message store serves, 503 naming the problem when not. */
public final class MailboxHealthService implements HttpService {
    private final Mailbox mailbox;

    public MailboxHealthService(Mailbox mailbox) {
        this.mailbox = mailbox;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/healthz", this::healthz);
    }

    private void healthz(ServerRequest req, ServerResponse res) {
        String problem = mailbox.storeProblem();
        ObjectNode body = MailboxFrames.JSON.createObjectNode();
        body.put("status", problem == null ? "ok" : "unavailable");
        if (problem != null) {
            body.put("problem", problem);
        }
        res.status(problem == null ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderValues.CACHE_NO_CACHE);
        res.send(body.toString());
    }
}
