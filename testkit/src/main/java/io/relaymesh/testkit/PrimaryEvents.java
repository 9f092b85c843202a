package io.relaymesh.testkit;

import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.SubjectBinding;
import io.relaymesh.domain.model.SubjectBinding.Start;
import io.relaymesh.domain.model.SubjectBinding.Stream;
import io.relaymesh.domain.model.SubjectBindings;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Envelopes as the primary protocol's subjects make them, for tests of modules that cannot see
 * the web adapter's {@code PrimarySubjects} (the bindings here are the same three; the web
 * adapter's tests check they agree).
 */
public final class PrimaryEvents {
    /** The primary protocol's bindings, as {@code PrimarySubjects} declares them. */
    public static final SubjectBindings BINDINGS = new SubjectBindings(List.of(
            new SubjectBinding("chats", Stream.PRIMARY, "websocket.{company}.{agent}.chats",
                    List.of("agent:{company}:{agent}"), Start.ALL),
            new SubjectBinding("agents", Stream.PRIMARY, "websocket.{company}.{agent}.agents",
                    List.of("admin:{company}:{agent}", "admin:{company}:*", "admin:*:{agent}", "admin:*:*"),
                    Start.ALL),
            new SubjectBinding("messages", Stream.PRIMARY, "websocket.{company}.{agent}.messages.{chat}",
                    List.of("chat:{company}:{agent}:{chat}"), Start.LAST_PER_SUBJECT)));

    /** A subject of the primary protocol. */
    public record Subject(String value) {
        @Override
        public String toString() {
            return value;
        }
    }

    private PrimaryEvents() {
    }

    public static Subject chats(String company, String agent) {
        return new Subject("websocket." + company + "." + agent + ".chats");
    }

    public static Subject agents(String company, String agent) {
        return new Subject("websocket." + company + "." + agent + ".agents");
    }

    public static Subject messages(String company, String agent, String chat) {
        return new Subject("websocket." + company + "." + agent + ".messages." + chat);
    }

    /** The envelope a JetStream message or publish on {@code subject} becomes. */
    public static Envelope event(String id, Subject subject, String payloadJson, long publishedAtMillis) {
        return event(id, subject.value(), payloadJson, publishedAtMillis);
    }

    public static Envelope event(String id, String subject, String payloadJson, long publishedAtMillis) {
        return switch (BINDINGS.resolve(subject)) {
            case SubjectBindings.Resolved.Ok ok -> SubjectBindings.envelope(ok.match(), subject, id,
                    payloadJson.getBytes(StandardCharsets.UTF_8), publishedAtMillis);
            case SubjectBindings.Resolved.Invalid invalid -> throw new IllegalArgumentException(invalid.reason());
        };
    }
}
