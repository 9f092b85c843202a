package io.relaymesh.adapters.web.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.relaymesh.adapters.web.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every HTTP request an id: the caller's {@code X-Request-Id} when it is a sane token, else a
 * new UUID. The id is echoed in the response header and is the {@code request_id} field of every
 * line logged while the request is handled (Helidon runs the filter and the handler on one thread).
 * Stateless and thread-safe.
 */
public final class RequestIdFilter implements Filter {
    public static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    private static final Logger LOG = LoggerFactory.getLogger(RequestIdFilter.class);
    // Ids from outside end up in log lines: printable, no spaces or quotes, bounded.
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:/+=@-]{1,128}");

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String id = req.headers().first(REQUEST_ID).filter(v -> SANE.matcher(v).matches())
                .orElseGet(() -> UUID.randomUUID().toString());
        res.header(REQUEST_ID, id);
        long start = System.nanoTime();
        try (LogContext ignored = LogContext.with(Map.of(LogContext.REQUEST_ID, id))) {
            chain.proceed();
            LOG.debug("{} {} -> {} in {} ms", req.prologue().method().text(), req.path().path(), res.status().code(),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }
}
