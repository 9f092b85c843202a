package io.relaymesh.adapters.web.dialect.topics;

import com.fasterxml.jackson.databind.JsonNode;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.dialect.Admission;
import io.relaymesh.application.dialect.Dialect;
import io.relaymesh.application.dialect.DialectSession;
import io.relaymesh.application.dialect.DialectSessions;
import io.relaymesh.application.dialect.Handshake;
import io.relaymesh.application.dialect.topics.Subscriber;
import io.relaymesh.application.dialect.topics.TopicSubscriptions;
import io.relaymesh.application.dialect.topics.Topics;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.Names;
import io.relaymesh.domain.topics.TopicMessage;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Pulsar Relay's WebSocket consumers, on {@code /topics/ws} or on {@code /ws} with a first frame
 * {@code subscribe}: a JWT at the upgrade, then {@code subscribe} (→ {@code subscribed}, the missed
 * messages of its client id, then live {@code message} frames), {@code ack}, {@code unsubscribe}
 * and {@code ping}. A bad frame gets an {@code error} frame naming the problem and the socket stays
 * open; a missing or bad token closes it (4401 / 4403), too many frames too (4429: acks have their
 * own budget, as seed clients ack every message). Thread-safe.
 */
public final class TopicsDialect implements Dialect {
    static final int CLOSE_UNAUTHORIZED = 4401;
    static final int CLOSE_INVALID_TOKEN = 4403;
    static final int CLOSE_RATE_LIMITED = 4429;

    private final String path;
    private final TopicsAuth auth;
    private final Supplier<DialectSessions> sessions;
    private final TopicSubscriptions subscriptions;
    private final TopicsMeters meters;
    private final AutoCloseable background;
    /** First frames on {@code /ws}, handled once the connection is open. */
    private final ConcurrentHashMap<Subscriber, String> firstFrames = new ConcurrentHashMap<>();

    public TopicsDialect(String path, Supplier<io.relaymesh.domain.port.JwtVerifier> jwt,
                         Supplier<DialectSessions> sessions, TopicSubscriptions subscriptions, TopicsMeters meters,
                         AutoCloseable background) {
        this.path = path;
        this.auth = new TopicsAuth(jwt);
        this.sessions = sessions;
        this.subscriptions = subscriptions;
        this.meters = meters;
        this.background = background;
    }

    /** Stops the store, its trimmer and the long-poll listeners, after the sockets are closed. */
    @Override
    public void close() {
        try {
            background.close();
        } catch (Exception e) {
            throw new IllegalStateException("topics dialect did not stop cleanly", e);
        }
    }

    @Override
    public String name() {
        return TopicsMeters.DIALECT;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String firstFrameType() {
        return "subscribe";
    }

    @Override
    public String subprotocol(List<String> offered) {
        return offered.stream().anyMatch(TopicsAuth.BEARER_SUBPROTOCOL::equalsIgnoreCase)
                ? TopicsAuth.BEARER_SUBPROTOCOL : null;
    }

    /** Acks get their own budget (dialects.topics.max_acks_per_second); other frames the shared one. */
    @Override
    public boolean ratesItsOwnFrames() {
        return true;
    }

    @Override
    public Admission admit(Handshake handshake, String firstFrame) {
        return switch (auth.verify(TopicsAuth.token(handshake))) {
            case TopicsAuth.Result.Refused refused -> new Admission.Refused(
                    TopicFrames.error(refused.code(), refused.message()),
                    refused.code().equals("Unauthorized") ? CLOSE_UNAUTHORIZED : CLOSE_INVALID_TOKEN, refused.code());
            case TopicsAuth.Result.Ok ok -> {
                Subscriber subscriber = new Subscriber(ok.user(), ok.validUntil());
                if (firstFrame != null) {
                    firstFrames.put(subscriber, firstFrame);
                }
                yield new Admission.Admitted(subscriber, List.of(), null);
            }
        };
    }

    @Override
    public void opened(DialectSession session) {
        String first = firstFrames.remove((Subscriber) session.session().principal());
        if (first != null) {
            onFrame(session, first);
        }
    }

    @Override
    public void closed(DialectSession session) {
        firstFrames.remove((Subscriber) session.session().principal());
    }

    @Override
    public void onFrame(DialectSession ds, String text) {
        LocalSession session = ds.session();
        Subscriber subscriber = (Subscriber) session.principal();
        JsonNode frame = TopicFrames.object(text);
        String type = frame == null ? "" : frame.path("type").asText("");
        boolean withinRate = type.equals("ack") ? subscriptions.allowAck(subscriber)
                : sessions.get().allowFrame(session);
        if (!withinRate) {
            error(session, "RateLimitExceeded", type.equals("ack") ? "too many acks per second; ack several "
                    + "message_ids in one frame" : "too many messages per second");
            session.connection().close(CLOSE_RATE_LIMITED, "rate limit");
            return;
        }
        if (frame == null) {
            error(session, "BadRequest", "a frame must be a JSON object with a \"type\"");
            return;
        }
        switch (type) {
            case "subscribe" -> subscribe(session, subscriber, frame);
            case "unsubscribe" -> unsubscribe(session, subscriber, frame);
            case "ack" -> ack(session, subscriber, frame);
            case "ping" -> sessions.get().send(session, TopicFrames.pong());
            default -> error(session, "BadRequest", "unknown frame type \"" + Names.printable(type)
                    + "\"; expected subscribe, unsubscribe, ack or ping");
        }
    }

    private void subscribe(LocalSession session, Subscriber subscriber, JsonNode frame) {
        List<String> topics = topics(session, frame);
        if (topics == null) {
            return;
        }
        JsonNode clientNode = frame.get("client_id");
        String clientId = null;
        if (clientNode != null && !clientNode.isNull()) {
            String problem = clientNode.isTextual() ? Names.problemWith(clientNode.asText()) : "must be a string";
            if (problem != null) {
                error(session, "BadRequest", "client_id " + problem);
                return;
            }
            clientId = clientNode.asText();
        }
        switch (subscriptions.join(session, subscriber, topics, clientId)) {
            case TopicSubscriptions.Joined.Refused refused -> error(session, refused.code(), refused.message());
            case TopicSubscriptions.Joined.Ok ok -> {
                sessions.get().send(session, TopicFrames.subscribed(topics, subscriber.clientId()));
                int replayed = subscriptions.replay(session, subscriber, ok.topics(), TopicFrames::message);
                meters.replayed(replayed);
            }
        }
    }

    private void unsubscribe(LocalSession session, Subscriber subscriber, JsonNode frame) {
        List<String> topics = topics(session, frame);
        if (topics != null) {
            subscriptions.leave(session, subscriber, topics);
            sessions.get().send(session, TopicFrames.unsubscribed(topics));
        }
    }

    private void ack(LocalSession session, Subscriber subscriber, JsonNode frame) {
        List<String> ids = frame.has("message_ids") ? TopicFrames.strings(frame.get("message_ids"))
                : frame.path("message_id").isTextual() ? List.of(frame.get("message_id").asText()) : null;
        if (ids == null) {
            error(session, "BadRequest", "ack needs \"message_id\" (a string) or \"message_ids\" (a list of strings)");
            return;
        }
        if (subscriber.consumer() == null) {
            error(session, "BadRequest", "ack needs a client_id: subscribe with \"client_id\" first (acks are kept per client id)");
            return;
        }
        List<String> unknown = subscriptions.ack(subscriber, ids);
        meters.acked(ids.size() - unknown.size());
        if (!unknown.isEmpty()) {
            error(session, "UnknownMessage", "no retained message has the id(s) " + unknown.stream()
                    .map(Names::printable).toList() + " (expired, trimmed or never published)");
        }
    }

    /** The frame's valid {@code topics}, or null after an error frame. */
    private List<String> topics(LocalSession session, JsonNode frame) {
        List<String> topics = TopicFrames.strings(frame.get("topics"));
        if (topics == null) {
            error(session, "BadRequest", "\"topics\" must be a non-empty list of topic names");
            return null;
        }
        for (String topic : topics) {
            String problem = Topics.problemWith(topic);
            if (problem != null) {
                error(session, "InvalidTopic", "\"" + Names.printable(topic) + "\": " + problem);
                return null;
            }
        }
        return List.copyOf(new java.util.LinkedHashSet<>(topics));
    }

    private void error(LocalSession session, String code, String message) {
        meters.error(code);
        sessions.get().send(session, TopicFrames.error(code, message));
    }

    @Override
    public byte[] render(Envelope envelope) {
        TopicMessage message = Topics.message(envelope);
        return TopicFrames.message(message).getBytes(StandardCharsets.UTF_8);
    }
}
