package io.relaymesh.adapters.web.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code GET /dashboard/defaults}: what the dashboards prefill. A standalone gateway hands out the
 * API keys it generated for this run, so that {@code make run} plus a browser works without
 * copying keys, and only to a page of its own served on this machine:
 * <ul>
 *   <li>the peer is a loopback address and no proxy says it forwards someone else's request;</li>
 *   <li>{@code Host} is a loopback name ({@code localhost}, {@code 127.x.x.x}, {@code [::1]}, any
 *       port): a DNS-rebinding page has its own host name there;</li>
 *   <li>the request is not cross-site: {@code Sec-Fetch-Site}, when sent, is {@code same-origin}
 *       or {@code none} (typed in the address bar), and {@code Origin}, when sent, is this
 *       {@code Host}. A request with neither (curl on this machine) is allowed: a browser sends at
 *       least one of them on a cross-site request.</li>
 * </ul>
 * Configured keys are never handed out: whoever configured them has them already. Anything else
 * gets the mode and pod id, {@code "prefill": false} and the reason. Stateless and thread-safe.
 */
public final class DashboardDefaults implements HttpService {
    /** The ids the dashboards start with; those of the tour in docs/tour.md. */
    static final String COMPANY_ID = "acme";
    static final String AGENT_ID = "agent-1";
    static final String USER_ID = "alice";
    static final String ADMIN_ID = "ops";

    private static final HeaderName SEC_FETCH_SITE = HeaderNames.create("Sec-Fetch-Site");
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

    private final boolean standalone;
    private final String podId;
    private final Supplier<Map<String, String>> generatedKeys;

    /**
     * @param generatedKeys the keys this run generated and still uses, by the field the dashboards
     *                      read ({@code api_key}, {@code admin_api_key}); empty when they were configured
     */
    public DashboardDefaults(boolean standalone, String podId, Supplier<Map<String, String>> generatedKeys) {
        this.standalone = standalone;
        this.podId = podId;
        this.generatedKeys = generatedKeys;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/dashboard/defaults", this::defaults);
    }

    private void defaults(ServerRequest req, ServerResponse res) {
        ObjectNode body = JsonResponses.JSON.createObjectNode();
        body.put("mode", standalone ? "standalone" : "cluster");
        body.put("pod_id", podId);
        Map<String, String> keys = generatedKeys.get();
        Optional<String> refusal = !standalone ? Optional.of("keys are prefilled only by a standalone gateway")
                : keys.isEmpty() ? Optional.of("the API keys were configured, not generated for this run: take them"
                + " from your configuration")
                : refusal(req);
        body.put("prefill", refusal.isEmpty());
        if (refusal.isPresent()) {
            body.put("prefill_refused", refusal.get());
        } else {
            keys.forEach(body::put);
            body.put("company_id", COMPANY_ID);
            body.put("agent_id", AGENT_ID);
            body.put("user_id", USER_ID);
            body.put("admin_id", ADMIN_ID);
        }
        JsonResponses.send(res, Status.OK_200, body, JsonResponses.NO_STORE);
    }

    /** Why {@code req} may not see the keys, or empty when it may. */
    static Optional<String> refusal(ServerRequest req) {
        if (!fromThisMachine(req)) {
            return Optional.of("the request does not come from this machine (or came through a proxy)");
        }
        String host = req.headers().first(HeaderNames.HOST).orElse("");
        if (!isLoopbackHost(host)) {
            return Optional.of("the Host header is not a loopback name (localhost, 127.0.0.1, [::1])");
        }
        Optional<String> site = req.headers().first(SEC_FETCH_SITE).map(s -> s.strip().toLowerCase(Locale.ROOT));
        if (site.isPresent() && !site.get().equals("same-origin") && !site.get().equals("none")) {
            return Optional.of("a cross-site request (Sec-Fetch-Site: " + site.get() + ")");
        }
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        if (origin.isPresent() && !sameOrigin(origin.get(), host)) {
            return Optional.of("the Origin is not this gateway's page");
        }
        return Optional.empty();
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

    /** {@code localhost}, {@code 127.x.x.x} or {@code [::1]}, with or without a port. Names only: nothing is resolved. */
    static boolean isLoopbackHost(String hostHeader) {
        String host = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 && host.substring(1, end).equals("::1") && portOnly(host.substring(end + 1));
        }
        int colon = host.indexOf(':');
        String name = colon < 0 ? host : host.substring(0, colon);
        return (name.equals("localhost") || IPV4_LOOPBACK.matcher(name).matches())
                && portOnly(colon < 0 ? "" : host.substring(colon));
    }

    private static boolean portOnly(String rest) {
        return rest.isEmpty() || rest.matches(":\\d{1,5}");
    }

    /** {@code Origin: http://127.0.0.1:8080} (or https) names the same host and port as {@code Host: 127.0.0.1:8080}. */
    static boolean sameOrigin(String origin, String host) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        String h = host.strip().toLowerCase(Locale.ROOT);
        return o.equals("http://" + h) || o.equals("https://" + h);
    }
}
