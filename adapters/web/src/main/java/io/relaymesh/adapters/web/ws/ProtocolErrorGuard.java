package io.relaymesh.adapters.web.ws;

import io.helidon.common.concurrency.limits.Limit;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import io.relaymesh.adapters.web.limits.ClientErrorLog;
import io.relaymesh.adapters.web.limits.EdgeMetrics;
import io.relaymesh.adapters.web.limits.GuardedHttp1;
import io.relaymesh.application.connection.ErrorCode;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Wraps Helidon's WebSocket upgrader so that a frame Helidon cannot parse (a reserved opcode)
 * closes the connection with 1002 and an error frame. Left alone, the exception escapes the
 * upgraded connection and Helidon writes {@code HTTP/1.1 500} onto the WebSocket and logs a stack
 * trace. Also tells the header deadline that the connection is now a WebSocket. Thread-safe.
 */
public final class ProtocolErrorGuard implements Http1Upgrader {
    /** The connection whose frames this reader thread reads (set by the listener on open). */
    static final ThreadLocal<WsConnection> OPEN = new ThreadLocal<>();

    private final Http1Upgrader delegate;
    private final EdgeMetrics metrics;

    public ProtocolErrorGuard(Http1Upgrader delegate, EdgeMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public String supportedProtocol() {
        return delegate.supportedProtocol();
    }

    @Override
    public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        ServerConnection upgraded = delegate.upgrade(ctx, prologue, headers);
        if (upgraded == null) {
            return null;
        }
        GuardedHttp1.markUpgraded();
        return new Guarded(upgraded);
    }

    private final class Guarded implements ServerConnection {
        private final ServerConnection delegate;

        Guarded(ServerConnection delegate) {
            this.delegate = delegate;
        }

        @Override
        public void handle(Limit limit) throws InterruptedException {
            try {
                delegate.handle(limit);
            } catch (IllegalArgumentException | IllegalStateException e) {
                // Helidon's frame reader throws these for reserved opcodes and frames it cannot place.
                metrics.protocolError("protocol_violation");
                ClientErrorLog.shared().log("WebSocket protocol violation from " + GuardedHttp1.currentPeer() + ": "
                        + e.getMessage());
                WsConnection connection = OPEN.get();
                if (connection != null) {
                    connection.fail(ErrorCode.BadRequest, "WebSocket protocol error: " + e.getMessage(), 1002);
                    try {
                        connection.awaitFinished(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000));
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
                throw new CloseConnectionException("WebSocket protocol violation");
            } finally {
                OPEN.remove();
            }
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            delegate.close(interrupt);
        }
    }
}
