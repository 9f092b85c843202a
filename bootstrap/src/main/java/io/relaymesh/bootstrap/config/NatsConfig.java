package io.relaymesh.bootstrap.config;

import io.relaymesh.domain.error.UrlCredentials;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * NATS JetStream connection and the durable consumer that fans events out to pods.
 *
 * @param url server URL(s), comma-separated; empty in standalone mode
 * @param streamName JetStream stream holding the events
 * @param consumerName prefix of the three durable pull consumers shared by all pods
 *                     ({@code _chats}, {@code _agents}, {@code _messages})
 * @param retryOnFailedConnect keep retrying when NATS is down at start-up instead of failing
 * @param ackWait      how long a pod has to settle an event before JetStream redelivers it
 * @param maxDeliver   deliveries per event before JetStream gives up; -1 = never (at-least-once)
 * @param nakDelay     delay before an event a target did not take is redelivered
 * @param maxInFlight  unsettled events per pod at most (back-pressure on the stream)
 * @param tls          CA and optional client certificate; any file given makes the connection TLS
 * @param credsFile    NATS creds file (user JWT + nkey seed) to authenticate with; empty for none
 * @param nkeyFile     file holding an nkey seed ({@code SU…}) to authenticate with; empty for none
 * @param allowInsecureTls whether {@code opentls://} URLs (which accept any server certificate) are allowed
 * @param streamMaxAge how long the streams keep events (0 = forever); clients resume within it
 * @param streamMaxBytes how many bytes each stream keeps at most, oldest dropped first (0 = unlimited)
 */
public record NatsConfig(String url, String streamName, String consumerName, boolean retryOnFailedConnect,
                         Duration ackWait, long maxDeliver, Duration nakDelay, int maxInFlight,
                         ClientTlsConfig tls, String credsFile, String nkeyFile, boolean allowInsecureTls,
                         Duration streamMaxAge, long streamMaxBytes) {
    /** Retention when none is configured: a day, and 1 GiB per stream. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(1);
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    public NatsConfig {
        Objects.requireNonNull(streamMaxAge, "streamMaxAge");
        Objects.requireNonNull(ackWait, "ackWait");
        Objects.requireNonNull(nakDelay, "nakDelay");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(streamName, "streamName");
        Objects.requireNonNull(consumerName, "consumerName");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(credsFile, "credsFile");
        Objects.requireNonNull(nkeyFile, "nkeyFile");
        if (!credsFile.isEmpty() && !nkeyFile.isEmpty()) {
            throw new IllegalArgumentException("nats.creds_file and nats.nkey_file exclude each other");
        }
        if (usesOpenTls(url) && !allowInsecureTls) {
            throw new IllegalArgumentException("opentls:// needs nats.allow_insecure_tls: true");
        }
    }

    /** Plain connection, credentials (if any) in the URL: the seed's settings. */
    public NatsConfig(String url, String streamName, String consumerName, boolean retryOnFailedConnect,
                      Duration ackWait, long maxDeliver, Duration nakDelay, int maxInFlight) {
        this(url, streamName, consumerName, retryOnFailedConnect, ackWait, maxDeliver, nakDelay, maxInFlight,
                ClientTlsConfig.NONE, "", "", false, DEFAULT_MAX_AGE, DEFAULT_MAX_BYTES);
    }

    /** These settings with the retention of {@code other} (a reload applies retention, nothing else of nats). */
    public NatsConfig withRetentionOf(NatsConfig other) {
        return new NatsConfig(url, streamName, consumerName, retryOnFailedConnect, ackWait, maxDeliver, nakDelay,
                maxInFlight, tls, credsFile, nkeyFile, allowInsecureTls, other.streamMaxAge, other.streamMaxBytes);
    }

    /** {@link #url()} without credentials ({@code nats://***@host:4222}): for log lines, errors and {@code /ready}. */
    public String displayUrl() {
        return UrlCredentials.strip(url);
    }

    /** Whether a NATS server is configured (cluster mode). */
    public boolean enabled() {
        return !url.isEmpty();
    }

    /** Whether some server of {@code urls} uses {@code opentls://}, which jnats connects to without verifying its certificate. */
    public static boolean usesOpenTls(String urls) {
        for (String server : urls.split(",", -1)) {
            if (server.strip().toLowerCase(Locale.ROOT).startsWith("opentls://")) {
                return true;
            }
        }
        return false;
    }

    /** Whether some server of {@code urls} uses {@code tls://} (verified TLS). */
    public static boolean usesVerifiedTls(String urls) {
        for (String server : urls.split(",", -1)) {
            if (server.strip().toLowerCase(Locale.ROOT).startsWith("tls://")) {
                return true;
            }
        }
        return false;
    }
}
