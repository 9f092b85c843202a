package io.relaymesh.application.metrics;

import io.relaymesh.application.connection.ErrorCode;

/**
 * What the use cases count and time. Implementations are thread-safe and must not block.
 * Names mirror the metric names (see the metrics table in docs/metrics.md).
 */
public interface GatewayMetrics {

    /** A connection's kind, for labels. */
    enum Kind { user, admin }

    void authSucceeded(Kind kind);

    void authFailed(Kind kind, ErrorCode reason);

    /**
     * A WebSocket upgrade presented the server key ({@code auth.secret_token} or
     * {@code auth.admin_secret_token}); {@code accepted} when {@code auth.ws_accepts_secret_token} let it in.
     */
    void serverKeyOnSocket(Kind kind, boolean accepted);

    /** A WebSocket upgrade was refused because its {@code Origin} is not in {@code server.allowed_origins}. */
    void originRefused(Kind kind);

    void connectionOpened(Kind kind);

    void connectionClosed(Kind kind, long durationMillis);

    void messageReceived();

    void messageSent();

    /** A frame was not delivered to a client; reason "drop_oldest", "slow_consumer", "backlog_limit" or "closed". */
    void messageDropped(String reason);

    void deliveryLatency(long millis);

    void sessionLockAttempt();

    void sessionLockAcquired();

    void sessionTakeover(String how);

    void eventPublished();

    /** This pod registered itself for a route key (its first local connection for it). */
    void routeRegistered();

    /** One periodic refresh of every local lock and route took {@code millis}. */
    void refreshDuration(long millis);

    /** A call to a state port (Redis in cluster mode) failed; {@code operation} says which. */
    void stateError(String operation);

    /** An event taken from the stream (cluster mode). */
    void eventConsumed();

    /**
     * This pod took an event for delivery: consumed from the stream (cluster mode) or published
     * directly (standalone). Events forwarded by other pods are not counted: they count where taken.
     */
    void eventHandled();

    /** An event acknowledged: every target took it. */
    void eventAcked();

    /** An event handed back for redelivery: some target did not take it. */
    void eventNaked();

    /** An event dropped for good (malformed). */
    void eventTerminated();

    /**
     * A client resumed ({@code since}): {@code recovered} whether every missed event could be
     * given, {@code events} how many were read back.
     */
    default void resumed(boolean recovered, int events) {
    }

    /** Metrics that record nothing, for tests that do not look at them. */
    GatewayMetrics NONE = new GatewayMetrics() {
        public void authSucceeded(Kind kind) { }
        public void authFailed(Kind kind, ErrorCode reason) { }
        public void serverKeyOnSocket(Kind kind, boolean accepted) { }
        public void originRefused(Kind kind) { }
        public void connectionOpened(Kind kind) { }
        public void connectionClosed(Kind kind, long durationMillis) { }
        public void messageReceived() { }
        public void messageSent() { }
        public void messageDropped(String reason) { }
        public void deliveryLatency(long millis) { }
        public void sessionLockAttempt() { }
        public void sessionLockAcquired() { }
        public void sessionTakeover(String how) { }
        public void eventPublished() { }
        public void routeRegistered() { }
        public void refreshDuration(long millis) { }
        public void stateError(String operation) { }
        public void eventConsumed() { }
        public void eventHandled() { }
        public void eventAcked() { }
        public void eventNaked() { }
        public void eventTerminated() { }
    };
}
