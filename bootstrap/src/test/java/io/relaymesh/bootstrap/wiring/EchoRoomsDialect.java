package io.relaymesh.bootstrap.wiring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.application.connection.Principal;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.application.dialect.Admission;
import io.relaymesh.application.dialect.Dialect;
import io.relaymesh.application.dialect.DialectSession;
import io.relaymesh.application.dialect.DialectSessions;
import io.relaymesh.application.dialect.Handshake;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A wire protocol that exists only in tests, to show that a dialect is a codec, a small use case
 * and a Dagger module (issue 12). On {@code /echo/ws}, or on {@code /ws} with a first frame
 * {@code {"type":"echo_hello","rooms":["a","b"]}}: the client joins {@code echo:a} and {@code echo:b}
 * and gets {@code {"type":"echo_ready"}}; {@code {"type":"say","room":"a","text":"…"}} is delivered
 * to every member of {@code echo:a} on any pod (including the sender), as
 * {@code {"type":"said","id":…,"room":"a","text":"…"}}; {@code join}/{@code leave} change rooms.
 */
final class EchoRoomsDialect implements Dialect {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Supplier<DialectSessions> sessions;

    EchoRoomsDialect(Supplier<DialectSessions> sessions) {
        this.sessions = sessions;
    }

    /** An echo client: many connections per user are fine. */
    record EchoPrincipal(String connection) implements Principal {
        public SessionKey sessionKey() {
            return new SessionKey("session:echo:" + connection);
        }

        public RouteKey baseRoute() {
            return RouteKey.of("echo", "lobby");
        }

        public Instant expiresAt() {
            return Instant.MAX;
        }

        public GatewayMetrics.Kind kind() {
            return GatewayMetrics.Kind.user;
        }

        @Override
        public boolean exclusive() {
            return false;
        }
    }

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public String path() {
        return "/echo/ws";
    }

    @Override
    public String firstFrameType() {
        return "echo_hello";
    }

    @Override
    public Admission admit(Handshake handshake, String firstFrame) {
        if (firstFrame == null) {
            return new Admission.AwaitFirstFrame();
        }
        JsonNode hello = parse(firstFrame);
        if (!"echo_hello".equals(hello.path("type").asText())) {
            return new Admission.Refused("{\"type\":\"error\",\"payload\":\"say echo_hello first\"}", 4400, "no hello");
        }
        List<RouteKey> rooms = new ArrayList<>();
        for (JsonNode room : hello.path("rooms")) {
            rooms.add(RouteKey.of("echo", room.asText()));
        }
        return new Admission.Admitted(new EchoPrincipal(UUID.randomUUID().toString()), rooms, "{\"type\":\"echo_ready\"}");
    }

    @Override
    public void onFrame(DialectSession session, String frame) {
        JsonNode message = parse(frame);
        String room = message.path("room").asText();
        switch (message.path("type").asText()) {
            case "say" -> {
                byte[] text = message.path("text").asText().getBytes(StandardCharsets.UTF_8);
                sessions.get().deliver(new Envelope(UUID.randomUUID().toString(), List.of(RouteKey.of("echo", room)),
                        text, Map.of("room", room), System.currentTimeMillis()));
            }
            case "join" -> sessions.get().send(session.session(), sessions.get().join(session.session(),
                    RouteKey.of("echo", room)) ? "{\"type\":\"joined\",\"room\":\"" + room + "\"}" : "{\"type\":\"error\"}");
            case "leave" -> sessions.get().leave(session.session(), RouteKey.of("echo", room));
            default -> sessions.get().send(session.session(), "{\"type\":\"error\",\"payload\":\"unknown type\"}");
        }
    }

    @Override
    public byte[] render(Envelope envelope) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("type", "said").put("id", envelope.id()).put("room", envelope.attribute("room"))
                .put("text", envelope.payloadText());
        return frame.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode parse(String frame) {
        try {
            return JSON.readTree(frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
