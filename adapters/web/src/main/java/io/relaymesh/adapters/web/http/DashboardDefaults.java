package io.relaymesh.adapters.web.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.relaymesh.application.auth.ApiKeys;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Supplier;

/**
 * {@code GET /dashboard/defaults}: what the dashboards prefill. Only a standalone gateway asked
 * from its own machine (a loopback peer, not behind a proxy) hands out its API keys, so that
 * {@code make run} plus a browser works without copying keys; anything else gets the mode and pod
 * id only. Stateless and thread-safe.
 */
public final class DashboardDefaults implements HttpService {
    /** The ids the dashboards start with; those of the tour in docs/tour.md. */
    static final String COMPANY_ID = "acme";
    static final String AGENT_ID = "agent-1";
    static final String USER_ID = "alice";
    static final String ADMIN_ID = "ops";

    private final boolean standalone;
    private final String podId;
    private final Supplier<ApiKeys> keys;

    public DashboardDefaults(boolean standalone, String podId, Supplier<ApiKeys> keys) {
        this.standalone = standalone;
        this.podId = podId;
        this.keys = keys;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/dashboard/defaults", this::defaults);
    }

    private void defaults(ServerRequest req, ServerResponse res) {
        ObjectNode body = JsonResponses.JSON.createObjectNode();
        body.put("mode", standalone ? "standalone" : "cluster");
        body.put("pod_id", podId);
        boolean prefill = standalone && fromThisMachine(req);
        body.put("prefill", prefill);
        if (prefill) {
            ApiKeys current = keys.get();
            body.put("api_key", current.general());
            body.put("admin_api_key", current.admin());
            // The public keys the pages put on socket URLs ("" when none is configured).
            body.put("client_api_key", current.clients().user());
            body.put("admin_client_api_key", current.clients().admin());
            body.put("company_id", COMPANY_ID);
            body.put("agent_id", AGENT_ID);
            body.put("user_id", USER_ID);
            body.put("admin_id", ADMIN_ID);
        }
        JsonResponses.send(res, Status.OK_200, body, JsonResponses.NO_STORE);
    }

    /**
     * Whether the peer is a loopback address and no proxy says it forwards someone else's request
     * (a proxy on this machine would otherwise make every visitor look local).
     */
    static boolean fromThisMachine(ServerRequest req) {
        if (req.headers().contains(HeaderNames.FORWARDED) || req.headers().contains(HeaderNames.X_FORWARDED_FOR)) {
            return false;
        }
        SocketAddress peer = req.remotePeer().address();
        return peer instanceof InetSocketAddress inet && inet.getAddress() != null
                && inet.getAddress().isLoopbackAddress();
    }
}
