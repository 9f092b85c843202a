package io.relaymesh.application.delivery;

import io.relaymesh.application.connection.ServerMessage;
import io.relaymesh.application.fakes.Cluster;
import io.relaymesh.application.fakes.ManualClock;
import io.relaymesh.application.fakes.Pod;
import io.relaymesh.application.fakes.Principals;
import io.relaymesh.application.fakes.RecordingConnection;
import io.relaymesh.application.fakes.SequentialIds;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.testkit.PrimaryEvents;
import io.relaymesh.domain.port.EventPublisher;
import io.relaymesh.domain.port.EventPublisher.Published;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishServiceTest {
    private final ManualClock clock = new ManualClock();
    private final List<Envelope> published = new ArrayList<>();
    private final EventPublisher recordingPublisher = event -> {
        published.add(event);
        return new Published.Accepted(event.id(), -1);
    };
    private final PublishService service = new PublishService(recordingPublisher, PrimaryEvents.BINDINGS, clock, new SequentialIds("evt"),
            io.relaymesh.application.metrics.GatewayMetrics.NONE);

    private static PublishService.Outcome.Invalid invalid(PublishService.Outcome outcome) {
        return assertInstanceOf(PublishService.Outcome.Invalid.class, outcome);
    }

    @Test
    void malformedSubject_isInvalid_namingSubject_andPublishesNothing() {
        for (String subject : new String[]{null, "", "websocket.c1", "other.c1.a1.chats", "websocket.c1.a1.unknown",
                "websocket.c1.a1.messages", "websocket.c1.a1.messages.x.y", "websocket.c*.a1.chats"}) {
            PublishService.Outcome.Invalid invalid = invalid(service.publish(subject, "{}", null));

            assertEquals("subject", invalid.field(), String.valueOf(subject));
            assertTrue(invalid.message().contains("expected websocket."), invalid.message());
        }
        assertEquals(List.of(), published);
    }

    @Test
    void blankEventId_isInvalid_namingIt() {
        PublishService.Outcome.Invalid invalid = invalid(service.publish("websocket.c1.a1.chats", "{}", " "));

        assertEquals("payload.event_id", invalid.field());
        assertEquals(List.of(), published);
    }

    @Test
    void anOverlongOrUnprintableEventId_isInvalid_namingTheProblem_andPublishesNothing() {
        for (String id : new String[] {"x".repeat(129), "line\nforged", "quote\"d", "é"}) {
            PublishService.Outcome.Invalid invalid = invalid(service.publish("websocket.c1.a1.chats", "{}", id));

            assertEquals("payload.event_id", invalid.field());
            assertTrue(invalid.message().startsWith("payload.event_id must"), invalid.message());
        }
        assertEquals(List.of(), published);
    }

    @Test
    void absentEventId_isGenerated() {
        service.publish("websocket.c1.a1.chats", "{}", null);
        service.publish("websocket.c1.a1.chats", "{}", null);

        assertEquals(List.of("evt-1", "evt-2"), published.stream().map(Envelope::id).toList());
    }

    @Test
    void publishedEvent_carriesTheGivenId_theParsedSubject_theUnchangedPayload_andThePublishTime() {
        PublishService.Outcome outcome = service.publish("websocket.c1.a1.messages.chat9", "{\"text\":\"hi\"}", "e-42");

        Envelope expected = PrimaryEvents.event("e-42", PrimaryEvents.messages("c1", "a1", "chat9"), "{\"text\":\"hi\"}",
                ManualClock.START.toEpochMilli());
        assertEquals(List.of(expected), published);
        assertEquals(new PublishService.Outcome.Done(new Published.Accepted("e-42", -1)), outcome);
    }

    @Test
    void directPublishing_reportsHowManyLocalConnectionsWereReached() {
        try (Cluster cluster = new Cluster()) {
            Pod pod = cluster.pod("pod-a");
            RecordingConnection alice = cluster.connection();
            pod.open(Principals.user("c1", "a1", "alice"), alice);
            pod.open(Principals.user("c1", "a1", "bob"));
            pod.open(Principals.user("c1", "a2", "carol"));
            PublishService direct = new PublishService(new DirectEventPublisher(pod.delivery, pod.metrics), PrimaryEvents.BINDINGS, cluster.clock,
                    new SequentialIds("evt"), pod.metrics);

            PublishService.Outcome outcome = direct.publish("websocket.c1.a1.chats", "{}", null);

            assertEquals(new PublishService.Outcome.Done(new Published.Accepted("evt-1", 2)), outcome);
            assertEquals(1, alice.offered(ServerMessage.EventFrame.class).size());
            assertEquals(1, pod.metrics.count("event_published"));
        }
    }
}
