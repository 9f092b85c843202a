package io.relaymesh.application.dialect.topics;

import io.relaymesh.domain.topics.TopicMessage;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.Names;
import io.relaymesh.domain.model.RouteKey;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Topic names, their route keys, and messages as envelopes and back. Stateless. */
public final class Topics {
    /** The route key namespace: {@code topic:{name}}. */
    public static final String NAMESPACE = "topic";
    /** Envelope attributes: the topic, the stored sequence (absent when not stored), the ttl's end. */
    public static final String TOPIC = "topic";
    public static final String SEQ = "seq";
    public static final String EXPIRES_AT = "expires_at";

    private Topics() {
    }

    /** What is wrong with {@code name} as a topic name, or null. */
    public static String problemWith(String name) {
        String problem = Names.problemWith(name);
        return problem == null ? null : "topic " + problem;
    }

    public static RouteKey routeKey(String topic) {
        return RouteKey.of(NAMESPACE, topic);
    }

    public static Envelope envelope(TopicMessage message) {
        return new Envelope(message.messageId(), List.of(routeKey(message.topic())),
                message.payloadJson().getBytes(StandardCharsets.UTF_8),
                Map.of(TOPIC, message.topic(), SEQ, Long.toString(message.seq()),
                        EXPIRES_AT, Long.toString(message.expiresAtMillis())),
                message.publishedAtMillis());
    }

    /**
     * The message an envelope carries: a stored one (with its sequence) or one published on the
     * {@code topics.{topic}} subject (sequence 0, never retained). Null when it names no topic.
     */
    public static TopicMessage message(Envelope envelope) {
        String topic = envelope.attribute(TOPIC);
        if (topic == null) {
            return null;
        }
        String seq = envelope.attribute(SEQ);
        String expires = envelope.attribute(EXPIRES_AT);
        return new TopicMessage(envelope.id(), topic, seq == null ? 0 : Long.parseLong(seq), envelope.payloadText(),
                envelope.publishedAtMillis(), expires == null ? Long.MAX_VALUE : Long.parseLong(expires));
    }
}
