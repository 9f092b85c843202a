package io.relaymesh.domain.topics;

import java.util.Objects;

/**
 * A message retained in a topic.
 *
 * @param messageId         unique across topics; clients ack by it
 * @param topic             its topic
 * @param seq               its position in the topic, increasing in publish order (0 when it was never
 *                          stored: an event published on the {@code topics.{name}} subject)
 * @param payloadJson       the producer's payload, JSON text
 * @param publishedAtMillis server time of the publish
 * @param expiresAtMillis   when its own ttl ends (retention may end it earlier)
 */
public record TopicMessage(String messageId, String topic, long seq, String payloadJson, long publishedAtMillis,
                           long expiresAtMillis) {
    public TopicMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payloadJson, "payloadJson");
    }

    /** Whether it is still deliverable at {@code nowMillis} under {@code retentionMillis}. */
    public boolean liveAt(long nowMillis, long retentionMillis) {
        return expiresAtMillis > nowMillis && publishedAtMillis + retentionMillis > nowMillis;
    }
}
