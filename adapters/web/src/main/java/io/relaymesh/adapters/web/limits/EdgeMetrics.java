package io.relaymesh.adapters.web.limits;

/** What the edge refuses or cuts, counted. Implementations are thread-safe. */
public interface EdgeMetrics {
    /** A request, upgrade, connection or ping over its per-client bound ({@code what}: see {@link ClientLimits}). */
    void rateLimited(String what);

    /** A connection cut because it did not send its request headers in time (or sat idle between requests). */
    void headerTimeout();

    /** A WebSocket closed for breaking the protocol ({@code reason}: invalid_utf8, protocol_violation). */
    void protocolError(String reason);

    EdgeMetrics NONE = new EdgeMetrics() {
        public void rateLimited(String what) {
        }

        public void headerTimeout() {
        }

        public void protocolError(String reason) {
        }
    };
}
