package io.relaymesh.adapters.nats;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.relaymesh.domain.error.PortUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The pod's one NATS connection: reconnects forever, logs every connection change with the
 * server URL, and hands out JetStream contexts whose requests are bounded by
 * {@link NatsSettings#requestTimeout()}. {@link #close()} drains within
 * {@link NatsSettings#drainTimeout()}. Thread-safe.
 */
public final class NatsConnections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NatsConnections.class);

    private final Connection connection;
    private final JetStream jetStream;
    private final JetStreamManagement management;
    private final NatsSettings settings;

    private NatsConnections(Connection connection, NatsSettings settings) throws IOException {
        this.connection = connection;
        this.settings = settings;
        JetStreamOptions options = JetStreamOptions.builder().requestTimeout(settings.requestTimeout()).build();
        this.jetStream = connection.jetStream(options);
        this.management = connection.jetStreamManagement(options);
    }

    /**
     * Connects. With {@link NatsSettings#retryOnFailedConnect()} this blocks until a server answers
     * (interrupt the thread to give up); otherwise a failed first attempt throws at once.
     *
     * @throws PortUnavailableException when no server could be reached
     */
    public static NatsConnections connect(NatsSettings settings) {
        ConnectionLogging.Outage outage = new ConnectionLogging.Outage();
        ConnectionLogging.Errors errors = new ConnectionLogging.Errors(outage);
        Options options = options(settings)
                .connectionListener(new ConnectionLogging.Connections(outage))
                .errorListener(errors)
                .build();
        Connection connection = null;
        if (settings.retryOnFailedConnect()) {
            // Failed attempts before the first success are debug lines: one line says what we wait for.
            outage.begin();
            log.info("Connecting to NATS at {} (retrying every {} until it answers)", settings.displayUrl(),
                    settings.reconnectWait());
        }
        try {
            connection = settings.retryOnFailedConnect()
                    ? Nats.connectReconnectOnConnect(options)
                    : Nats.connect(options);
            return new NatsConnections(connection, settings);
        } catch (IOException e) {
            closeQuietly(connection);
            String why = errors.lastProblem();
            throw new PortUnavailableException("nats", "cannot connect to " + settings.displayUrl() + ": " + e.getMessage()
                    + (why == null ? "" : " (last error: " + why + ")"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(connection);
            throw new PortUnavailableException("nats", "interrupted while connecting to " + settings.displayUrl(), e);
        }
    }

    /** The jnats options of {@code settings}, without listeners: server, timeouts, TLS and credentials. */
    static Options.Builder options(NatsSettings settings) {
        Options.Builder options = Options.builder()
                .server(settings.url())
                .connectionName("relaymesh")
                .connectionTimeout(settings.connectTimeout())
                .reconnectWait(settings.reconnectWait())
                .maxReconnects(-1);
        // Given a context, jnats uses it for tls:// and opentls:// alike (and requires TLS for nats://).
        // By default jnats swaps the URL's host name for its resolved IP before the TLS handshake, so
        // the certificate would be checked against that IP and the host name never verified. Fast
        // fallback resolves inside the socket connect and keeps the name for the handshake
        // (noResolveHostnames() still resolves to the first IP; Unresolved cannot connect at all).
        settings.tls().ifPresent(tls -> options.sslContext(HostnameVerifyingSslContext.wrap(tls))
                .enableFastFallback());
        switch (settings.auth()) {
            case NatsAuth.UrlOnly urlOnly -> {
            }
            case NatsAuth.CredsFile creds -> options.authHandler(Nats.credentials(creds.file().toString()));
            // No JWT file: jnats then signs the server's nonce with the seed alone (nkey challenge).
            case NatsAuth.NkeySeedFile seed -> options.authHandler(Nats.credentials(null, seed.file().toString()));
        }
        return options;
    }

    /** Whether the connection is up right now (for readiness). */
    public boolean isConnected() {
        return connection.getStatus() == Connection.Status.CONNECTED;
    }

    /** Whether {@link #close()} ran (or jnats gave up, which it does not with unlimited reconnects). */
    public boolean isClosed() {
        return connection.getStatus() == Connection.Status.CLOSED;
    }

    public Connection connection() {
        return connection;
    }

    public JetStream jetStream() {
        return jetStream;
    }

    public JetStreamManagement management() {
        return management;
    }

    public NatsSettings settings() {
        return settings;
    }

    /** Drains subscriptions and pending publishes, then closes; bounded by the drain timeout. */
    @Override
    public void close() {
        if (connection.getStatus() == Connection.Status.CLOSED) {
            return;
        }
        Duration timeout = settings.drainTimeout();
        try {
            if (isConnected()) {
                boolean drained = connection.drain(timeout).get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
                if (!drained) {
                    log.warn("NATS drain did not finish within {}; closing anyway", timeout);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("NATS drain failed ({}); closing", e.toString());
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("NATS close failed", e);
        }
    }
}
