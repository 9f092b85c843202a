package io.relaymesh.adapters.nats;

import io.relaymesh.testkit.PrimaryEvents;
import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consumers' backlog as the metrics read it, against a real NATS JetStream. */
@ExtendWith(RealServices.class)
class JetStreamBacklogIT {
    private static final String CHATS = JetStreamFixture.CONSUMER + "_chats";
    private static final String AGENTS = JetStreamFixture.CONSUMER + "_agents";

    private JetStreamFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new JetStreamFixture(RealServices.nats().url());
        fixture.deleteAllStreams();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void messagesNobodyConsumed_arePending_perConsumer() throws Exception {
        NatsSettings settings = fixture.settings().build();
        NatsConnections nats = fixture.connect(settings);
        new JetStreamProvisioner(nats.management(), settings, PrimaryEvents.BINDINGS).provision();
        JetStreamBacklog backlog = new JetStreamBacklog(nats, ConsumerKinds.ALL);
        for (int i = 0; i < 5; i++) {
            fixture.publishRaw("websocket.acme.x.chats", "{\"event_id\":\"p-" + i + "\"}", null);
        }

        backlog.refresh();

        assertEquals(List.of(CHATS, AGENTS, JetStreamFixture.CONSUMER + "_messages"), backlog.consumers());
        assertEquals(Optional.of(new JetStreamBacklog.Backlog(5, 0)), backlog.of(CHATS));
        assertEquals(Optional.of(new JetStreamBacklog.Backlog(0, 0)), backlog.of(AGENTS));
    }

    @Test
    void messagesTakenButNotSettled_areAckPending_notPending() throws Exception {
        NatsSettings settings = fixture.settings().build();
        JetStreamFixture.Recorder holding = new JetStreamFixture.Recorder().behave(inbound -> { });
        JetStreamFixture.Pod pod = fixture.pod(settings, holding);
        JetStreamBacklog backlog = new JetStreamBacklog(pod.connections(), ConsumerKinds.ALL);
        for (int i = 0; i < 3; i++) {
            fixture.publishRaw("websocket.acme.x.chats", "{\"event_id\":\"h-" + i + "\"}", null);
        }
        for (int i = 0; i < 3; i++) {
            holding.next(Duration.ofSeconds(5));
        }

        backlog.refresh();

        assertEquals(Optional.of(new JetStreamBacklog.Backlog(0, 3)), backlog.of(CHATS));
    }

    @Test
    void whileNatsIsDown_theBacklogIsUnknown_andItIsReadAgainOnceNatsIsBack() throws Exception {
        NatsServer own = RealServices.newNats();
        try (JetStreamFixture ownFixture = new JetStreamFixture(own.url())) {
            NatsSettings settings = ownFixture.settings().build();
            NatsConnections nats = ownFixture.connect(settings);
            new JetStreamProvisioner(nats.management(), settings, PrimaryEvents.BINDINGS).provision();
            JetStreamBacklog backlog = new JetStreamBacklog(nats, ConsumerKinds.ALL);
            // Each poll refreshes first, as bootstrap's periodic task does every few seconds.
            JetStreamFixture.await(Duration.ofSeconds(5), "a first read",
                    () -> refreshed(backlog).of(CHATS).isPresent());

            own.stop();
            JetStreamFixture.await(Duration.ofSeconds(10), "the backlog to be unknown",
                    () -> refreshed(backlog).of(CHATS).isEmpty());
            own.start();

            JetStreamFixture.await(Duration.ofSeconds(15), "the backlog to be read again",
                    () -> refreshed(backlog).of(CHATS).isPresent());
            assertTrue(backlog.of(AGENTS).isPresent());
        } finally {
            own.close();
        }
    }

    private static JetStreamBacklog refreshed(JetStreamBacklog backlog) {
        backlog.refresh();
        return backlog;
    }
}
