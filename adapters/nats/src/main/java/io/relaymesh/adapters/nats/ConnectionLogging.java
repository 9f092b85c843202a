package io.relaymesh.adapters.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamSubscription;
import io.nats.client.support.Status;
import io.relaymesh.domain.error.UrlCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/** The log lines of the NATS connection: what jnats reports asynchronously, worded for operators. */
final class ConnectionLogging {
    private static final Logger log = LoggerFactory.getLogger(NatsConnections.class);

    private ConnectionLogging() {
    }

    /**
     * Logs connection changes; the reconnecting itself is jnats' job. jnats reports every failed
     * reconnect attempt: only the first of an outage is a warning, the rest are debug lines.
     */
    static final class Connections implements ConnectionListener {
        private final Outage outage;

        Connections(Outage outage) {
            this.outage = outage;
        }

        /** Abstract in jnats, deprecated there; jnats calls the four-argument form below. */
        @Override
        @SuppressWarnings("deprecation")
        public void connectionEvent(Connection conn, Events type) {
            connectionEvent(conn, type, null, null);
        }

        @Override
        public void connectionEvent(Connection conn, Events type, Long time, String uriDetails) {
            // jnats reports the server URL as configured, credentials included.
            String server = UrlCredentials.strip(uriDetails != null ? uriDetails : conn.getConnectedUrl());
            switch (type) {
                case CONNECTED -> {
                    outage.end();
                    log.info("NATS connected to {}", server);
                }
                case RECONNECTED -> log.info("NATS reconnected to {} after {} ms", server, outage.end());
                case RESUBSCRIBED -> log.info("NATS subscriptions re-established on {}", server);
                case DISCONNECTED -> {
                    if (outage.begin()) {
                        log.warn("NATS disconnected from {}; reconnecting", server);
                    } else {
                        log.debug("NATS still disconnected from {}", server);
                    }
                }
                case CLOSED -> log.info("NATS connection closed");
                case LAME_DUCK -> log.warn("NATS server {} entered lame duck mode", server);
                case DISCOVERED_SERVERS -> log.debug("NATS discovered servers {}", UrlCredentials.strip(String.valueOf(conn.getServers())));
            }
        }
    }

    /** Whether the connection is in an outage, and since when. Thread-safe. */
    static final class Outage {
        private final AtomicLong since = new AtomicLong();

        /** True when this starts a new outage. */
        boolean begin() {
            return since.compareAndSet(0, System.nanoTime());
        }

        boolean isDown() {
            return since.get() != 0;
        }

        /** Ends the outage; returns how long it lasted in ms (0 when there was none). */
        long end() {
            long start = since.getAndSet(0);
            return start == 0 ? 0 : (System.nanoTime() - start) / 1_000_000;
        }
    }

    /** A failed TLS handshake by its own words ("PKIX path building failed", "No name matching …"), else the root cause. */
    private static String reason(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; depth < 8; depth++) {
            if (root instanceof javax.net.ssl.SSLException tls) {
                return "TLS handshake failed: " + tls.getMessage();
            }
            if (root.getCause() == null) {
                break;
            }
            root = root.getCause();
        }
        return root.toString();
    }

    /** Logs what jnats reports asynchronously; status warnings of pulls are routine and kept at debug. */
    static final class Errors implements ErrorListener {
        private final Outage outage;
        // jnats' own failure ("Unable to connect to NATS servers") hides why; this keeps the why.
        private final java.util.concurrent.atomic.AtomicReference<String> lastProblem =
                new java.util.concurrent.atomic.AtomicReference<>();

        Errors(Outage outage) {
            this.outage = outage;
        }

        /** The last error or exception jnats reported (a TLS handshake, an authorization violation), or null. */
        String lastProblem() {
            return lastProblem.get();
        }

        @Override
        public void errorOccurred(Connection conn, String error) {
            lastProblem.set(UrlCredentials.strip(error));
            log.warn("NATS error from {}: {}", url(conn), UrlCredentials.strip(error));
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            lastProblem.set(UrlCredentials.strip(reason(exp)));
            if (outage.isDown()) {
                log.debug("NATS connection problem with {}: {}", url(conn), UrlCredentials.strip(exp.toString()));
            } else {
                log.warn("NATS connection problem with {}: {}", url(conn), UrlCredentials.strip(exp.toString()));
            }
        }

        @Override
        public void slowConsumerDetected(Connection conn, Consumer consumer) {
            log.warn("NATS slow consumer on {}", url(conn));
        }

        @Override
        public void pullStatusWarning(Connection conn, JetStreamSubscription sub, Status status) {
            log.debug("NATS pull status on {}: {}", sub.getConsumerName(), status);
        }

        @Override
        public void pullStatusError(Connection conn, JetStreamSubscription sub, Status status) {
            log.warn("NATS pull error on consumer {}: {}", sub.getConsumerName(), status);
        }

        @Override
        public void socketWriteTimeout(Connection conn) {
            log.warn("NATS socket write timed out on {}", url(conn));
        }

        private static String url(Connection conn) {
            return conn == null ? "(not connected)" : UrlCredentials.strip(String.valueOf(conn.getConnectedUrl()));
        }
    }
}
