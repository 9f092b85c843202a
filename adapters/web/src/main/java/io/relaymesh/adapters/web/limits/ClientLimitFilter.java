package io.relaymesh.adapters.web.limits;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Refuses HTTP requests over {@code server.requests_per_ip_per_second} with 429, a JSON body
 * naming the limit and {@code Retry-After}. Every path counts, the operational ones too: a load
 * balancer or Prometheus polls far below any sane limit, and from its own address. Thread-safe.
 */
public final class ClientLimitFilter implements Filter {
    private final ClientLimits limits;

    public ClientLimitFilter(ClientLimits limits) {
        this.limits = limits;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String peer = req.remotePeer().address() instanceof InetSocketAddress address && address.getAddress() != null
                ? address.getAddress().getHostAddress() : req.remotePeer().host();
        List<String> forwarded = req.headers().all(HeaderNames.X_FORWARDED_FOR, List::of);
        String ip = limits.clientIp(peer, forwarded);
        if (limits.allowRequest(ip)) {
            chain.proceed();
            return;
        }
        int rate = limits.settings().requestsPerSecond();
        ClientErrorLog.shared().log("refused a request from " + ip + ": over " + rate
                + " per second (server.requests_per_ip_per_second)");
        String body = "{\"error\":{\"code\":\"RateLimitExceeded\",\"message\":\"too many requests from your address "
                + "(at most " + rate + " per second, burst " + limits.settings().requestBurst()
                + "; server.requests_per_ip_per_second)\",\"limit\":\"requests_per_ip_per_second\"}}";
        res.status(Status.TOO_MANY_REQUESTS_429);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderValues.CACHE_NO_CACHE);
        res.header(HeaderNames.RETRY_AFTER, String.valueOf(limits.requestRetryAfterSeconds()));
        res.send(body);
    }
}
