package io.relaymesh.bootstrap.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The topics dialect (Pulsar Relay, seed 002), {@code dialects.topics.*}; the seed's
 * {@code storage.persistent_tier_retention} and {@code storage.max_messages_per_topic} map onto
 * {@code retention_seconds} and {@code max_messages_per_topic}.
 *
 * @param enabled              whether the dialect is served at all
 * @param path                 its own WebSocket path (it also answers a first frame {@code subscribe} on {@code /ws})
 * @param retention            how long a message is kept at most (a message's own ttl may end it sooner)
 * @param maxMessagesPerTopic  messages kept per topic at most; the oldest go first
 * @param maxPayloadBytes      largest payload a producer may send (JSON text, UTF-8)
 * @param maxBulkMessages      messages one bulk request may carry
 * @param publishRatePerSecond messages a pod accepts per second from producers
 * @param publishBurst         messages a pod accepts at once above that rate
 * @param maxPollTimeout       longest long-poll wait (a longer ?timeout= is shortened to it)
 * @param maxPollMessages      messages one poll answer carries at most
 * @param replayLimit          missed messages replayed per topic when a client id comes back
 * @param maxTopicsPerClient   topics one socket or poll may name
 * @param maxAcksPerSecond     ack frames one socket may send per second (its other frames count against
 *                             {@code app.client_max_messages_per_second})
 * @param storePath            the standalone store's file (created on first run); unused in a cluster
 */
public record TopicsDialectConfig(boolean enabled, String path, Duration retention, int maxMessagesPerTopic,
                                  int maxPayloadBytes, int maxBulkMessages, int publishRatePerSecond,
                                  int publishBurst, Duration maxPollTimeout, int maxPollMessages, int replayLimit,
                                  int maxTopicsPerClient, int maxAcksPerSecond, String storePath) {
    public static final TopicsDialectConfig DEFAULTS = new TopicsDialectConfig(true, "/topics/ws",
            Duration.ofSeconds(86_400), 1_000_000, 65_536, 1000, 10_000, 20_000, Duration.ofSeconds(60), 100, 10_000,
            100, 2000, "topics.db");

    public TopicsDialectConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(maxPollTimeout, "maxPollTimeout");
        Objects.requireNonNull(storePath, "storePath");
    }
}
