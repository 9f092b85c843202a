package io.relaymesh.bootstrap.config;

import io.relaymesh.domain.error.UrlCredentials;

import java.time.Duration;
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
 */
public record NatsConfig(String url, String streamName, String consumerName, boolean retryOnFailedConnect,
                         Duration ackWait, long maxDeliver, Duration nakDelay, int maxInFlight) {
    public NatsConfig {
        Objects.requireNonNull(ackWait, "ackWait");
        Objects.requireNonNull(nakDelay, "nakDelay");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(streamName, "streamName");
        Objects.requireNonNull(consumerName, "consumerName");
    }

    /** {@link #url()} without credentials ({@code nats://***@host:4222}): for log lines, errors and {@code /ready}. */
    public String displayUrl() {
        return UrlCredentials.strip(url);
    }

    /** Whether a NATS server is configured (cluster mode). */
    public boolean enabled() {
        return !url.isEmpty();
    }
}
