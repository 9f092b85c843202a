package io.relaymesh.application.fakes;

import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.application.connection.ErrorCode;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Metrics that count each call under a readable name such as {@code auth_failed:user:InvalidToken}
 * or {@code session_takeover:dead_pod}. Thread-safe.
 */
public final class CountingMetrics implements GatewayMetrics {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    /** How many times {@code name} was counted. */
    public long count(String name) {
        AtomicLong count = counts.get(name);
        return count == null ? 0 : count.get();
    }

    private void inc(String name) {
        counts.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void authSucceeded(Kind kind) {
        inc("auth_succeeded:" + kind);
    }

    @Override
    public void authFailed(Kind kind, ErrorCode reason) {
        inc("auth_failed:" + kind + ":" + reason);
    }

    @Override
    public void serverKeyOnSocket(Kind kind, boolean accepted) {
        inc("server_key_on_socket:" + kind + ":" + (accepted ? "accepted" : "refused"));
    }

    @Override
    public void originRefused(Kind kind) {
        inc("origin_refused:" + kind);
    }

    @Override
    public void connectionOpened(Kind kind) {
        inc("connection_opened:" + kind);
    }

    @Override
    public void connectionClosed(Kind kind, long durationMillis) {
        inc("connection_closed:" + kind);
    }

    @Override
    public void messageReceived() {
        inc("message_received");
    }

    @Override
    public void messageSent() {
        inc("message_sent");
    }

    @Override
    public void messageDropped(String reason) {
        inc("message_dropped:" + reason);
    }

    @Override
    public void deliveryLatency(long millis) {
        inc("delivery_latency");
    }

    @Override
    public void sessionLockAttempt() {
        inc("session_lock_attempt");
    }

    @Override
    public void sessionLockAcquired() {
        inc("session_lock_acquired");
    }

    @Override
    public void sessionTakeover(String how) {
        inc("session_takeover:" + how);
    }

    @Override
    public void eventPublished() {
        inc("event_published");
    }

    @Override
    public void routeRegistered() {
        inc("route_registered");
    }

    @Override
    public void refreshDuration(long millis) {
        inc("refresh");
    }

    @Override
    public void stateError(String operation) {
        inc("state_error_" + operation);
    }

    @Override
    public void eventConsumed() {
        inc("event_consumed");
    }

    @Override
    public void eventHandled() {
        inc("event_handled");
    }

    @Override
    public void eventAcked() {
        inc("event_acked");
    }

    @Override
    public void eventNaked() {
        inc("event_naked");
    }

    @Override
    public void eventTerminated() {
        inc("event_terminated");
    }

    @Override
    public String toString() {
        return "CountingMetrics" + counts;
    }
}
