package io.relaymesh.adapters.web.limits;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Helidon's HTTP/1.1 connection selector, wrapped so that every connection is seen the moment it
 * is accepted (Helidon 4.3 hands a lone selector the socket before reading a byte):
 * <ul>
 *   <li>a direct peer over {@code max_connections_per_ip} gets a 429 and is closed at once, so it
 *       holds no slot of the listener's TCP cap;</li>
 *   <li>a connection that has not sent a request's headers within the header timeout, or sits idle
 *       between requests that long, is closed (Helidon's own idle timeout is minutes long, because
 *       it also governs WebSockets, which live by ping/pong instead);</li>
 *   <li>an error escaping a connection is logged as one rate-limited line, not a stack trace.</li>
 * </ul>
 * Upgraded connections (WebSockets) leave the header deadline once upgraded. Thread-safe.
 */
public final class GuardedHttp1 implements ServerConnectionSelector, AutoCloseable {
    private static final ThreadLocal<Guarded> CURRENT = new ThreadLocal<>();

    private final ServerConnectionSelector delegate;
    private final ClientLimits limits;
    private final Set<Guarded> live = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "relaymesh-header-deadline");
        t.setDaemon(true);
        return t;
    });

    private GuardedHttp1(ServerConnectionSelector delegate, ClientLimits limits) {
        this.delegate = delegate;
        this.limits = limits;
    }

    /** Helidon's HTTP/1.1 selector with {@code upgraders} (WebSocket), guarded by {@code limits}. */
    public static GuardedHttp1 create(Http1Config http1, ClientLimits limits, Http1Upgrader... upgraders) {
        var builder = Http1ConnectionSelector.builder().config(http1);
        for (Http1Upgrader upgrader : upgraders) {
            builder.addUpgrader(upgrader);
        }
        return new GuardedHttp1(builder.build(), limits);
    }

    /** Checks the deadlines four times per header timeout (at least every second). */
    public void start() {
        long period = Math.min(1000, Math.max(100, limits.settings().requestHeaderTimeout().toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /** Called on a connection's thread when it becomes a WebSocket: it leaves the header deadline. */
    public static void markUpgraded() {
        Guarded current = CURRENT.get();
        if (current != null) {
            current.upgraded = true;
        }
    }

    /** The direct peer's IP of the connection handled on this thread, or null. */
    public static String currentPeer() {
        Guarded current = CURRENT.get();
        return current == null ? null : current.peer;
    }

    /** Connections not yet upgraded (waiting for or serving HTTP requests). */
    public int httpConnections() {
        return (int) live.stream().filter(g -> !g.upgraded).count();
    }

    @Override
    public int bytesToIdentifyConnection() {
        return delegate.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData request) {
        return delegate.supports(request);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return delegate.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        String peer = ipOf(ctx);
        boolean counted = limits.countsByPeer(peer);
        if (counted && !limits.tryOpen(peer)) {
            ClientErrorLog.shared().log("refused a connection from " + peer + ": " + limits.settings().maxConnectionsPerIp()
                    + " open already (server.max_connections_per_ip)");
            return new Refused(ctx, limits.settings().maxConnectionsPerIp());
        }
        Guarded guarded = new Guarded(delegate.connection(ctx), peer, counted);
        live.add(guarded);
        return guarded;
    }

    void sweep() {
        try {
            Duration deadline = limits.settings().requestHeaderTimeout();
            for (Guarded g : live) {
                if (!g.upgraded && !g.cut && g.delegate.idleTime().compareTo(deadline) > 0) {
                    g.cut = true;
                    limits.metrics().headerTimeout();
                    g.delegate.close(true);
                }
            }
        } catch (RuntimeException e) {
            ClientErrorLog.shared().log("header deadline sweep failed: " + e);
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }

    private static String ipOf(ConnectionContext ctx) {
        if (ctx.remotePeer().address() instanceof InetSocketAddress address && address.getAddress() != null) {
            return address.getAddress().getHostAddress();
        }
        return ctx.remotePeer().host();
    }

    /** One accepted connection, tracked until it ends. */
    private final class Guarded implements ServerConnection {
        private final ServerConnection delegate;
        private final String peer;
        private final boolean counted;
        private volatile boolean upgraded;
        private volatile boolean cut;

        Guarded(ServerConnection delegate, String peer, boolean counted) {
            this.delegate = delegate;
            this.peer = peer;
            this.counted = counted;
        }

        @Override
        public void handle(Limit limit) throws InterruptedException {
            CURRENT.set(this);
            try {
                delegate.handle(limit);
            } catch (CloseConnectionException e) {
                throw e;
            } catch (RuntimeException e) {
                // Helidon logs an escaping error with its stack trace (1.4 KB per aborted request):
                // one rate-limited line instead, and a quiet close.
                if (!cut) {
                    ClientErrorLog.shared().log("connection from " + peer + " ended by " + e.getClass().getSimpleName()
                            + ": " + e.getMessage());
                }
                throw new CloseConnectionException("connection ended: " + e.getClass().getSimpleName());
            } finally {
                CURRENT.remove();
                live.remove(this);
                if (counted) {
                    limits.release(peer);
                }
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

    /** A connection over its IP's cap: answered 429 at once, without reading it, then closed. */
    private static final class Refused implements ServerConnection {
        private final ConnectionContext ctx;
        private final int cap;

        Refused(ConnectionContext ctx, int cap) {
            this.ctx = ctx;
            this.cap = cap;
        }

        @Override
        public void handle(Limit limit) {
            String body = "{\"error\":{\"code\":\"RateLimitExceeded\",\"message\":\"too many open connections from "
                    + "your address (at most " + cap + ", server.max_connections_per_ip)\",\"limit\":"
                    + "\"max_connections_per_ip\"}}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
                    + "Cache-Control: no-store\r\nConnection: close\r\nContent-Length: " + bytes.length + "\r\n\r\n";
            BufferData out = BufferData.create(head.getBytes(StandardCharsets.US_ASCII));
            try {
                ctx.dataWriter().writeNow(BufferData.create(out, BufferData.create(bytes)));
            } catch (RuntimeException e) {
                // The client is gone already: nothing to tell it.
            }
        }

        @Override
        public Duration idleTime() {
            return Duration.ZERO;
        }

        @Override
        public void close(boolean interrupt) {
        }
    }
}
