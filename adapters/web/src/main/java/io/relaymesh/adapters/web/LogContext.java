package io.relaymesh.adapters.web;

import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import org.slf4j.MDC;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The context fields of log lines, set in the SLF4J MDC of the thread handling a request, a
 * connection callback or an event, and restored when that work is done. The application layer
 * logs through java.util.logging, bridged to SLF4J on the same thread, so its lines carry the
 * fields too. JSON logs show each as a field; the names are the ones metrics and messages use.
 * Not thread-safe: a scope belongs to the thread that opened it.
 */
public final class LogContext implements AutoCloseable {
    public static final String REQUEST_ID = "request_id";
    public static final String SESSION_KEY = "session_key";
    public static final String COMPANY_ID = "company_id";
    public static final String AGENT_ID = "agent_id";
    public static final String USER_ID = "user_id";
    public static final String EVENT_ID = "event_id";
    public static final String ROUTE_KEY = "route_key";

    private final Map<String, String> previous = new HashMap<>();

    private LogContext(Map<String, String> fields) {
        fields.forEach((name, value) -> {
            previous.put(name, MDC.get(name));
            if (value == null || value.isEmpty()) {
                MDC.remove(name);
            } else {
                MDC.put(name, value);
            }
        });
    }

    /** Sets {@code fields} (empty or null values are left out) until {@link #close()}. */
    public static LogContext with(Map<String, String> fields) {
        return new LogContext(fields);
    }

    /** The fields of handling {@code event}: its id and route key(s), comma-separated. */
    public static LogContext forEvent(Envelope event) {
        return with(eventFields(event));
    }

    /** {@code event_id} and {@code route_key} of {@code event}. */
    public static Map<String, String> eventFields(Envelope event) {
        Map<String, String> fields = new HashMap<>();
        fields.put(EVENT_ID, event.id());
        fields.put(ROUTE_KEY, event.audience().stream().map(RouteKey::value)
                .collect(Collectors.joining(",")));
        return fields;
    }

    /**
     * Restores the values the fields had before. When that leaves the MDC empty, its thread-local
     * maps are dropped too: a connection's reader thread lives as long as the connection, and empty
     * maps kept on 19,000 of them cost ~1 KB each.
     */
    @Override
    public void close() {
        boolean empty = true;
        for (Map.Entry<String, String> entry : previous.entrySet()) {
            if (entry.getValue() == null) {
                MDC.remove(entry.getKey());
            } else {
                MDC.put(entry.getKey(), entry.getValue());
                empty = false;
            }
        }
        if (empty) {
            Map<String, String> left = MDC.getCopyOfContextMap();
            if (left == null || left.isEmpty()) {
                MDC.clear();
            }
        }
    }
}
