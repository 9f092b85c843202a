package io.relaymesh.adapters.nats;

import io.nats.client.api.MessageInfo;
import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.testkit.PrimaryEvents;
import io.relaymesh.domain.port.EventPublisher;
import io.relaymesh.testkit.RealServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(RealServices.class)
class JetStreamEventPublisherIT {
    private JetStreamFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new JetStreamFixture(RealServices.nats().url());
        fixture.deleteAllStreams();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void publish_storesThePayloadOnTheEventSubjectWithMsgIdAndPublishTimeHeaders() throws Exception {
        NatsSettings settings = fixture.settings().build();
        NatsConnections connections = fixture.connect(settings);
        new JetStreamProvisioner(connections.management(), settings, PrimaryEvents.BINDINGS).ensureStream();
        Envelope event = PrimaryEvents.event("p-1", PrimaryEvents.agents("c1", "a1"), "{\"event_id\":\"p-1\"}", 42L);

        EventPublisher.Published published = new JetStreamEventPublisher(connections).publish(event);

        assertEquals(new EventPublisher.Published.Accepted("p-1", -1), published);
        MessageInfo stored = fixture.jsm.getLastMessage(JetStreamFixture.STREAM, "websocket.c1.a1.agents");
        assertEquals("{\"event_id\":\"p-1\"}", new String(stored.getData(), StandardCharsets.UTF_8));
        assertEquals("p-1", stored.getHeaders().getFirst(EventHeaders.MSG_ID));
        assertEquals("42", stored.getHeaders().getFirst(EventHeaders.PUBLISHED_AT));
    }

    @Test
    void publishingWhenNoStreamHoldsTheSubject_isPortUnavailable() {
        NatsConnections connections = fixture.connect(fixture.settings().build());
        Envelope event = PrimaryEvents.event("p-2", PrimaryEvents.chats("c1", "a1"), "{}", 1L);

        PortUnavailableException error = assertThrows(PortUnavailableException.class,
                () -> new JetStreamEventPublisher(connections).publish(event));

        assertEquals("nats", error.port());
        assertTrue(error.getMessage().contains("p-2"), error.getMessage());
    }
}
