package io.relaymesh.application.dialect.topics;

import io.relaymesh.domain.topics.TopicLog;
import io.relaymesh.domain.topics.TopicMessage;
import io.relaymesh.application.connection.FrameRateLimiter;
import io.relaymesh.application.delivery.Delivery;
import io.relaymesh.domain.model.Names;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.IdGenerator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishing to a topic: checks the request, stores the message (a retried request with the same
 * idempotency key or message id is a no-op), hands it to the core's delivery, which reaches the
 * topic's subscribers on every pod, and answers once the log has made it durable. Thread-safe.
 */
public final class TopicPublisher {
    private static final Logger LOG = Logger.getLogger(TopicPublisher.class.getName());

    /** One message as a producer sent it; {@code ttlSeconds} null = retention; ids may be null. */
    public record Request(String topic, String payloadJson, Long ttlSeconds, String messageId, String idempotencyKey) {
    }

    /** What became of one message. */
    public sealed interface Outcome {
        /** Stored and delivered; {@code duplicate} when an earlier identical request had stored it. */
        record Accepted(TopicMessage message, boolean duplicate) implements Outcome {
        }

        /** Refused for its content; {@code field} names what is wrong. Nothing stored. */
        record Invalid(String code, String field, String message) implements Outcome {
        }

        /** Refused because this pod takes no more messages per second. Nothing stored. */
        record RateLimited(String message) implements Outcome {
        }

        /** The store could not be written; retry with the same idempotency key. */
        record Unavailable(String message) implements Outcome {
        }
    }

    private final TopicLog log;
    private final Delivery delivery;
    private final Clock clock;
    private final IdGenerator ids;
    private final Supplier<TopicsSettings> settings;
    private final FrameRateLimiter rate;

    public TopicPublisher(TopicLog log, Delivery delivery, Clock clock, IdGenerator ids,
                          Supplier<TopicsSettings> settings) {
        this.log = log;
        this.delivery = delivery;
        this.clock = clock;
        this.ids = ids;
        this.settings = settings;
        this.rate = new FrameRateLimiter(settings.get().publishBurst(), System.nanoTime());
    }

    private Outcome publishUnflushed(Request request) {
        Outcome.Invalid invalid = check(request);
        if (invalid != null) {
            return invalid;
        }
        TopicsSettings s = settings.get();
        if (!rate.tryAcquire(s.publishRatePerSecond(), s.publishBurst(), System.nanoTime())) {
            return new Outcome.RateLimited("more than " + s.publishRatePerSecond()
                    + " messages per second on this server; retry shortly with the same Idempotency-Key");
        }
        long now = clock.millis();
        long retention = s.retention().toMillis();
        long ttl = request.ttlSeconds() == null ? retention : Math.min(retention, request.ttlSeconds() * 1000);
        String id = request.messageId() != null ? request.messageId() : ids.next();
        TopicLog.Appended appended;
        try {
            appended = log.append(new TopicLog.NewMessage(id, request.topic(), request.payloadJson(), now, now + ttl,
                    request.idempotencyKey()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "topic " + request.topic() + ": message " + id + " could not be stored", e);
            return new Outcome.Unavailable("the message could not be stored; retry with the same Idempotency-Key");
        }
        return switch (appended) {
            case TopicLog.Appended.Duplicate duplicate -> new Outcome.Accepted(duplicate.original(), true);
            case TopicLog.Appended.Stored stored -> {
                // In the log first: a subscriber that misses the live copy gets it on reconnect or poll.
                delivery.deliver(Topics.envelope(stored.message()));
                yield new Outcome.Accepted(stored.message(), false);
            }
        };
    }

    /** Publishes and answers once durable (also a duplicate: its original may be in the same commit). */
    public Outcome publish(Request request) {
        return durable(List.of(publishUnflushed(request))).getFirst();
    }

    /** Each message on its own: one refused does not refuse the others. One flush for them all. */
    public List<Outcome> publishAll(List<Request> requests) {
        List<Outcome> outcomes = new ArrayList<>(requests.size());
        for (Request request : requests) {
            outcomes.add(publishUnflushed(request));
        }
        return durable(outcomes);
    }

    /**
     * Live subscribers get a message as soon as it is in the log; the producer's answer waits for
     * the log's flush, shared with concurrent publishes. If the flush fails, every accepted
     * message becomes Unavailable: the producer retries with its key, and a subscriber that
     * already had the live copy may see it again (at least once).
     */
    private List<Outcome> durable(List<Outcome> outcomes) {
        if (outcomes.stream().noneMatch(o -> o instanceof Outcome.Accepted)) {
            return outcomes;
        }
        try {
            log.flush();
            return outcomes;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "topics: " + outcomes.size() + " message(s) could not be made durable", e);
            return outcomes.stream().map(o -> o instanceof Outcome.Accepted
                    ? (Outcome) new Outcome.Unavailable("the message could not be stored; retry with the same Idempotency-Key")
                    : o).toList();
        }
    }

    private Outcome.Invalid check(Request request) {
        TopicsSettings s = settings.get();
        String topicProblem = request.topic() == null ? "topic is required" : Topics.problemWith(request.topic());
        if (topicProblem != null) {
            return new Outcome.Invalid("InvalidTopic", "topic", topicProblem);
        }
        if (request.payloadJson() == null) {
            return new Outcome.Invalid("BadRequest", "payload", "payload is required");
        }
        int bytes = request.payloadJson().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > s.maxPayloadBytes()) {
            return new Outcome.Invalid("PayloadTooLarge", "payload", "payload is " + bytes + " bytes; at most "
                    + s.maxPayloadBytes() + " are accepted (dialects.topics.max_payload_bytes)");
        }
        if (request.ttlSeconds() != null && request.ttlSeconds() < 1) {
            return new Outcome.Invalid("BadRequest", "ttl", "ttl must be a whole number of seconds, 1 or more");
        }
        if (request.messageId() != null) {
            String problem = Names.eventIdProblem(request.messageId());
            if (problem != null) {
                return new Outcome.Invalid("BadRequest", "message_id", "message_id " + problem);
            }
        }
        if (request.idempotencyKey() != null) {
            String problem = Names.eventIdProblem(request.idempotencyKey());
            if (problem != null) {
                return new Outcome.Invalid("BadRequest", "Idempotency-Key", "Idempotency-Key " + problem);
            }
        }
        return null;
    }
}
