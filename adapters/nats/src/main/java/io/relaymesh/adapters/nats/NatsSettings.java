package io.relaymesh.adapters.nats;

import io.relaymesh.domain.error.UrlCredentials;

import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the NATS JetStream adapter, validated on construction. Build them with
 * {@link #builder(String)}, which fills in the defaults below.
 *
 * @param url                  NATS server URL(s), comma separated
 * @param streamName           JetStream stream that holds the events (default {@code wa_stream})
 * @param consumerName         prefix of the three durable consumers (default {@code ws_fanout})
 * @param streamSubjects       subjects of the stream (default {@code websocket.>})
 * @param ackWait              how long a delivered message may stay unsettled before JetStream redelivers it
 * @param maxDeliver           deliveries per message before JetStream gives up; -1 = never (the default,
 *                             since at-least-once must not give up on a live socket)
 * @param redeliveryBackoff    optional consumer back-off for ack timeouts; when set, the server uses its first
 *                             value instead of {@code ackWait}; empty by default
 * @param nakBackoff           redelivery delays for a message whose handler failed, by delivery attempt
 *                             (the last one repeats)
 * @param maxInFlight          unsettled messages one pod holds at most, over the three consumers
 * @param maxAckPending        unsettled messages per consumer over all pods (server-side limit)
 * @param pullExpiry           how long one pull request waits on the server for messages
 * @param duplicateWindow      stream window in which a repeated {@code Nats-Msg-Id} is dropped
 * @param streamMaxAge         stream retention by age; zero = unlimited (server default)
 * @param streamMaxBytes       stream retention by size (oldest messages go first); 0 = unlimited
 * @param connectTimeout       timeout of one connection attempt
 * @param reconnectWait        wait between reconnection attempts
 * @param retryOnFailedConnect keep trying when the first connection fails, instead of failing at once
 * @param requestTimeout       timeout of a publish or a JetStream management request
 * @param drainTimeout         bound on closing: settling in-flight messages and draining the connection
 * @param tls                  TLS context (trusted CAs, optional client certificate) for the connection;
 *                             empty = plain, or jnats' own context for {@code tls://}/{@code opentls://} URLs.
 *                             Host names are verified whenever it is given.
 * @param auth                 how the connection authenticates beyond what the URL carries
 */
public record NatsSettings(
        String url,
        String streamName,
        String consumerName,
        List<String> streamSubjects,
        Duration ackWait,
        long maxDeliver,
        List<Duration> redeliveryBackoff,
        List<Duration> nakBackoff,
        int maxInFlight,
        long maxAckPending,
        Duration pullExpiry,
        Duration duplicateWindow,
        Duration streamMaxAge,
        long streamMaxBytes,
        Duration connectTimeout,
        Duration reconnectWait,
        boolean retryOnFailedConnect,
        Duration requestTimeout,
        Duration drainTimeout,
        Optional<SSLContext> tls,
        NatsAuth auth) {

    public static final String DEFAULT_STREAM = "wa_stream";
    public static final String DEFAULT_CONSUMER = "ws_fanout";
    public static final List<String> DEFAULT_SUBJECTS = List.of("websocket.>");

    public NatsSettings {
        requireText("url", url);
        requireName("stream_name", streamName);
        requireName("consumer_name", consumerName);
        streamSubjects = List.copyOf(Objects.requireNonNull(streamSubjects, "stream_subjects"));
        if (streamSubjects.isEmpty()) {
            throw new IllegalArgumentException("stream_subjects must not be empty");
        }
        streamSubjects.forEach(s -> requireText("stream_subjects", s));
        requirePositive("ack_wait", ackWait);
        if (maxDeliver != -1 && maxDeliver < 1) {
            throw new IllegalArgumentException("max_deliver must be -1 (unlimited) or at least 1, was " + maxDeliver);
        }
        redeliveryBackoff = List.copyOf(Objects.requireNonNull(redeliveryBackoff, "redelivery_backoff"));
        redeliveryBackoff.forEach(d -> requirePositive("redelivery_backoff", d));
        if (!redeliveryBackoff.isEmpty() && maxDeliver != -1 && maxDeliver <= redeliveryBackoff.size()) {
            throw new IllegalArgumentException("max_deliver (" + maxDeliver + ") must exceed the number of"
                    + " redelivery_backoff values (" + redeliveryBackoff.size() + ")");
        }
        nakBackoff = List.copyOf(Objects.requireNonNull(nakBackoff, "nak_backoff"));
        if (nakBackoff.isEmpty()) {
            throw new IllegalArgumentException("nak_backoff needs at least one delay");
        }
        nakBackoff.forEach(d -> requireNotNegative("nak_backoff", d));
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("max_in_flight must be at least 1, was " + maxInFlight);
        }
        if (maxAckPending < 1) {
            throw new IllegalArgumentException("max_ack_pending must be at least 1, was " + maxAckPending);
        }
        requirePositive("pull_expiry", pullExpiry);
        if (pullExpiry.toMillis() < 100) {
            throw new IllegalArgumentException("pull_expiry must be at least 100 ms, was " + pullExpiry);
        }
        requirePositive("duplicate_window", duplicateWindow);
        requireNotNegative("stream_max_age", streamMaxAge);
        if (streamMaxBytes < 0) {
            throw new IllegalArgumentException("stream_max_bytes must not be negative, was " + streamMaxBytes);
        }
        if (!streamMaxAge.isZero() && duplicateWindow.compareTo(streamMaxAge) > 0) {
            // JetStream refuses a duplicate window longer than the retention.
            duplicateWindow = streamMaxAge;
        }
        requirePositive("connect_timeout", connectTimeout);
        requirePositive("reconnect_wait", reconnectWait);
        requirePositive("request_timeout", requestTimeout);
        requirePositive("drain_timeout", drainTimeout);
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(auth, "auth");
    }

    /** Settings with every default, for the server(s) at {@code url}. */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@link #url()} without credentials, for log lines and messages: {@code nats://***@host:4222}. */
    public String displayUrl() {
        return UrlCredentials.strip(url);
    }

    /** Delay before redelivering a message whose handler failed on its {@code deliveredCount}-th delivery. */
    public Duration nakDelay(long deliveredCount) {
        int index = (int) Math.min(Math.max(deliveredCount, 1), nakBackoff.size()) - 1;
        return nakBackoff.get(index);
    }

    private static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }

    /** Stream and consumer names end up in API subjects: no dots, wildcards, spaces or path separators. */
    private static void requireName(String name, String value) {
        requireText(name, value);
        if (!value.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException(name + " '" + value + "' may hold only letters, digits, '_' and '-'");
        }
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static void requireNotNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }

    /** Fills in the defaults; not thread-safe. */
    public static final class Builder {
        private String url;
        private String streamName = DEFAULT_STREAM;
        private String consumerName = DEFAULT_CONSUMER;
        private List<String> streamSubjects = DEFAULT_SUBJECTS;
        private Duration ackWait = Duration.ofSeconds(30);
        private long maxDeliver = -1;
        private List<Duration> redeliveryBackoff = List.of();
        private List<Duration> nakBackoff = List.of(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofSeconds(10));
        private int maxInFlight = 256;
        private long maxAckPending = 10_000;
        private Duration pullExpiry = Duration.ofSeconds(5);
        private Duration duplicateWindow = Duration.ofMinutes(2);
        private Duration streamMaxAge = Duration.ZERO;
        private long streamMaxBytes;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration reconnectWait = Duration.ofSeconds(2);
        private boolean retryOnFailedConnect = true;
        private Duration requestTimeout = Duration.ofSeconds(5);
        private Duration drainTimeout = Duration.ofSeconds(10);
        private Optional<SSLContext> tls = Optional.empty();
        private NatsAuth auth = new NatsAuth.UrlOnly();

        private Builder(String url) {
            this.url = url;
        }

        private Builder(NatsSettings s) {
            url = s.url;
            streamName = s.streamName;
            consumerName = s.consumerName;
            streamSubjects = s.streamSubjects;
            ackWait = s.ackWait;
            maxDeliver = s.maxDeliver;
            redeliveryBackoff = s.redeliveryBackoff;
            nakBackoff = s.nakBackoff;
            maxInFlight = s.maxInFlight;
            maxAckPending = s.maxAckPending;
            pullExpiry = s.pullExpiry;
            duplicateWindow = s.duplicateWindow;
            streamMaxAge = s.streamMaxAge;
            streamMaxBytes = s.streamMaxBytes;
            connectTimeout = s.connectTimeout;
            reconnectWait = s.reconnectWait;
            retryOnFailedConnect = s.retryOnFailedConnect;
            requestTimeout = s.requestTimeout;
            drainTimeout = s.drainTimeout;
            tls = s.tls;
            auth = s.auth;
        }

        public Builder url(String value) {
            url = value;
            return this;
        }

        public Builder streamName(String value) {
            streamName = value;
            return this;
        }

        public Builder consumerName(String value) {
            consumerName = value;
            return this;
        }

        public Builder streamSubjects(List<String> value) {
            streamSubjects = value;
            return this;
        }

        public Builder ackWait(Duration value) {
            ackWait = value;
            return this;
        }

        public Builder maxDeliver(long value) {
            maxDeliver = value;
            return this;
        }

        public Builder redeliveryBackoff(List<Duration> value) {
            redeliveryBackoff = value;
            return this;
        }

        public Builder nakBackoff(List<Duration> value) {
            nakBackoff = value;
            return this;
        }

        public Builder maxInFlight(int value) {
            maxInFlight = value;
            return this;
        }

        public Builder maxAckPending(long value) {
            maxAckPending = value;
            return this;
        }

        public Builder pullExpiry(Duration value) {
            pullExpiry = value;
            return this;
        }

        public Builder duplicateWindow(Duration value) {
            duplicateWindow = value;
            return this;
        }

        public Builder streamMaxBytes(long value) {
            streamMaxBytes = value;
            return this;
        }

        public Builder streamMaxAge(Duration value) {
            streamMaxAge = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder reconnectWait(Duration value) {
            reconnectWait = value;
            return this;
        }

        public Builder retryOnFailedConnect(boolean value) {
            retryOnFailedConnect = value;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            requestTimeout = value;
            return this;
        }

        public Builder drainTimeout(Duration value) {
            drainTimeout = value;
            return this;
        }

        /** Connect over TLS with this context's trust and client certificate; host names are verified. */
        public Builder tls(SSLContext value) {
            tls = Optional.of(value);
            return this;
        }

        public Builder auth(NatsAuth value) {
            auth = value;
            return this;
        }

        public NatsSettings build() {
            return new NatsSettings(url, streamName, consumerName, streamSubjects, ackWait, maxDeliver,
                    redeliveryBackoff, nakBackoff, maxInFlight, maxAckPending, pullExpiry, duplicateWindow,
                    streamMaxAge, streamMaxBytes, connectTimeout, reconnectWait, retryOnFailedConnect, requestTimeout, drainTimeout, tls, auth);
        }
    }
}
