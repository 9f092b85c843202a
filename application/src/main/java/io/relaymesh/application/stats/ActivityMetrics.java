package io.relaymesh.application.stats;

import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.application.connection.ErrorCode;

import java.util.Objects;

/**
 * Metrics that also feed this pod's {@link PodActivity}: the delivery path already reports every
 * frame written or dropped and every event taken to {@link GatewayMetrics}, so the live stats hook
 * in here and cost one counter update more per call. Drops by back-pressure count
 * ({@code drop_oldest}, {@code slow_consumer}); frames discarded because their connection closed
 * do not. Thread-safe (both delegates are).
 */
public final class ActivityMetrics implements GatewayMetrics {
    private final GatewayMetrics delegate;
    private final PodActivity activity;

    public ActivityMetrics(GatewayMetrics delegate, PodActivity activity) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.activity = Objects.requireNonNull(activity, "activity");
    }

    @Override
    public void messageSent() {
        activity.frameWritten();
        delegate.messageSent();
    }

    @Override
    public void deliveryLatency(long millis) {
        activity.latency(millis);
        delegate.deliveryLatency(millis);
    }

    @Override
    public void messageDropped(String reason) {
        if (reason.equals("drop_oldest") || reason.equals("slow_consumer")) {
            activity.dropped();
        }
        delegate.messageDropped(reason);
    }

    @Override
    public void eventHandled() {
        activity.eventHandled();
        delegate.eventHandled();
    }

    // The rest only passes through.

    @Override
    public void authSucceeded(Kind kind) {
        delegate.authSucceeded(kind);
    }

    @Override
    public void authFailed(Kind kind, ErrorCode reason) {
        delegate.authFailed(kind, reason);
    }

    @Override
    public void serverKeyOnSocket(Kind kind, boolean accepted) {
        delegate.serverKeyOnSocket(kind, accepted);
    }

    @Override
    public void originRefused(Kind kind) {
        delegate.originRefused(kind);
    }

    @Override
    public void connectionOpened(Kind kind) {
        delegate.connectionOpened(kind);
    }

    @Override
    public void connectionClosed(Kind kind, long durationMillis) {
        delegate.connectionClosed(kind, durationMillis);
    }

    @Override
    public void messageReceived() {
        delegate.messageReceived();
    }

    @Override
    public void sessionLockAttempt() {
        delegate.sessionLockAttempt();
    }

    @Override
    public void sessionLockAcquired() {
        delegate.sessionLockAcquired();
    }

    @Override
    public void sessionTakeover(String how) {
        delegate.sessionTakeover(how);
    }

    @Override
    public void eventPublished() {
        delegate.eventPublished();
    }

    @Override
    public void routeRegistered() {
        delegate.routeRegistered();
    }

    @Override
    public void refreshDuration(long millis) {
        delegate.refreshDuration(millis);
    }

    @Override
    public void stateError(String operation) {
        delegate.stateError(operation);
    }

    @Override
    public void eventConsumed() {
        delegate.eventConsumed();
    }

    @Override
    public void eventAcked() {
        delegate.eventAcked();
    }

    @Override
    public void eventNaked() {
        delegate.eventNaked();
    }

    @Override
    public void eventTerminated() {
        delegate.eventTerminated();
    }
}
