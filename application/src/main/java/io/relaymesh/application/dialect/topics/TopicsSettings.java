package io.relaymesh.application.dialect.topics;

import java.time.Duration;

/**
 * Limits of the topics use cases (config {@code dialects.topics.*}).
 *
 * @param retention             how long a message is kept at most
 * @param maxMessagesPerTopic   messages kept per topic at most (oldest dropped)
 * @param maxPayloadBytes       largest payload accepted, as JSON text in UTF-8
 * @param maxBulkMessages       messages accepted in one bulk request
 * @param publishRatePerSecond  messages a pod accepts per second (sustained)
 * @param publishBurst          messages a pod accepts at once above that rate
 * @param maxPollTimeout        longest long-poll wait a client may ask for
 * @param maxPollMessages       messages one poll answer carries at most
 * @param replayLimit           missed messages replayed per topic on subscribe at most
 * @param maxTopicsPerClient    topics one WebSocket or poll may name at most
 * @param maxAcksPerSecond      ack frames one WebSocket may send per second (burst twice that)
 */
public record TopicsSettings(Duration retention, int maxMessagesPerTopic, int maxPayloadBytes, int maxBulkMessages,
                             int publishRatePerSecond, int publishBurst, Duration maxPollTimeout, int maxPollMessages,
                             int replayLimit, int maxTopicsPerClient, int maxAcksPerSecond) {
}
