package io.relaymesh.bootstrap.config;

import java.util.Objects;

/**
 * NATS JetStream connection and the durable consumer that fans events out to pods.
 *
 * @param url server URL(s), comma-separated; empty in standalone mode
 * @param streamName JetStream stream holding the events
 * @param consumerName durable consumer (and queue group) shared by all pods
 * @param retryOnFailedConnect keep retrying when NATS is down at start-up instead of failing
 */
public record NatsConfig(String url, String streamName, String consumerName, boolean retryOnFailedConnect) {
    public NatsConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(streamName, "streamName");
        Objects.requireNonNull(consumerName, "consumerName");
    }

    /** Whether a NATS server is configured (cluster mode). */
    public boolean enabled() {
        return !url.isEmpty();
    }
}
