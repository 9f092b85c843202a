package io.relaymesh.adapters.nats;

import io.relaymesh.testkit.PrimaryEvents;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.relaymesh.testkit.RealServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(RealServices.class)
class JetStreamProvisionerIT {
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
    void provisioning_createsAFileStreamAndThreePullConsumersWithTheirFiltersAndPolicies() throws Exception {
        NatsSettings settings = fixture.settings().ackWait(Duration.ofSeconds(7)).maxAckPending(500).build();
        JetStreamProvisioner provisioner = new JetStreamProvisioner(fixture.connect(settings).management(), settings, PrimaryEvents.BINDINGS);

        JetStreamProvisioner.Provisioned provisioned = provisioner.provision();

        StreamConfiguration stream = fixture.jsm.getStreamInfo(JetStreamFixture.STREAM).getConfiguration();
        assertEquals(List.of("websocket.>"), stream.getSubjects());
        assertEquals(StorageType.File, stream.getStorageType());
        assertEquals(Duration.ofMinutes(2), stream.getDuplicateWindow());
        assertConsumer(ConsumerKinds.CHATS, "it_fanout_chats", "websocket.*.*.chats", DeliverPolicy.All);
        assertConsumer(ConsumerKinds.AGENTS, "it_fanout_agents", "websocket.*.*.agents", DeliverPolicy.All);
        assertConsumer(ConsumerKinds.MESSAGES, "it_fanout_messages", "websocket.*.*.messages.*",
                DeliverPolicy.LastPerSubject);
        ConsumerConfiguration chats = fixture.consumer(ConsumerKinds.CHATS).getConsumerConfiguration();
        assertEquals(Duration.ofSeconds(7), chats.getAckWait());
        assertEquals(-1, chats.getMaxDeliver());
        assertEquals(500, chats.getMaxAckPending());
        assertEquals(3, provisioned.consumers().size());
        assertEquals(JetStreamFixture.STREAM, provisioned.stream().getConfiguration().getName());
    }

    @Test
    void provisioningAgain_isIdempotent() throws Exception {
        NatsSettings settings = fixture.settings().build();
        JetStreamProvisioner provisioner = new JetStreamProvisioner(fixture.connect(settings).management(), settings, PrimaryEvents.BINDINGS);
        provisioner.provision();
        StreamInfo before = fixture.jsm.getStreamInfo(JetStreamFixture.STREAM);
        ConsumerInfo chatsBefore = fixture.consumer(ConsumerKinds.CHATS);

        JetStreamProvisioner.Provisioned again = provisioner.provision();

        assertEquals(before.getCreateTime(), again.stream().getCreateTime());
        assertEquals(chatsBefore.getCreationTime(), again.consumers().get(ConsumerKinds.CHATS).getCreationTime());
        assertEquals(3, fixture.jsm.getConsumerNames(JetStreamFixture.STREAM).size());
    }

    @Test
    void provisioning_updatesWhatDiffersOnExistingStreamAndConsumers() throws Exception {
        fixture.jsm.addStream(StreamConfiguration.builder().name(JetStreamFixture.STREAM).subjects("legacy.>")
                .storageType(StorageType.File).duplicateWindow(Duration.ofSeconds(30)).build());
        NatsSettings first = fixture.settings().ackWait(Duration.ofSeconds(30)).build();
        new JetStreamProvisioner(fixture.connect(first).management(), first, PrimaryEvents.BINDINGS).provision();
        ConsumerInfo created = fixture.consumer(ConsumerKinds.MESSAGES);

        NatsSettings changed = fixture.settings().ackWait(Duration.ofSeconds(9)).maxDeliver(50).build();
        new JetStreamProvisioner(fixture.connect(changed).management(), changed, PrimaryEvents.BINDINGS).provision();

        StreamConfiguration stream = fixture.jsm.getStreamInfo(JetStreamFixture.STREAM).getConfiguration();
        assertEquals(Set.of("legacy.>", "websocket.>"), new HashSet<>(stream.getSubjects()));
        assertEquals(Duration.ofMinutes(2), stream.getDuplicateWindow());
        ConsumerInfo updated = fixture.consumer(ConsumerKinds.MESSAGES);
        assertEquals(Duration.ofSeconds(9), updated.getConsumerConfiguration().getAckWait());
        assertEquals(50, updated.getConsumerConfiguration().getMaxDeliver());
        assertEquals(DeliverPolicy.LastPerSubject, updated.getConsumerConfiguration().getDeliverPolicy());
        assertEquals(created.getCreationTime(), updated.getCreationTime(), "updated in place, not recreated");
    }

    @Test
    void anExistingPushConsumerOfTheSameName_isASetupErrorNamingIt() throws Exception {
        NatsSettings settings = fixture.settings().build();
        JetStreamProvisioner provisioner = new JetStreamProvisioner(fixture.connect(settings).management(), settings, PrimaryEvents.BINDINGS);
        provisioner.ensureStream();
        fixture.jsm.addOrUpdateConsumer(JetStreamFixture.STREAM, ConsumerConfiguration.builder()
                .durable("it_fanout_chats").filterSubject("websocket.*.*.chats").deliverSubject("push.here")
                .ackPolicy(AckPolicy.Explicit).build());

        JetStreamSetupException error = assertThrows(JetStreamSetupException.class, provisioner::provision);

        assertEquals("it_fanout_chats", error.resource());
        assertTrue(error.getMessage().contains("push consumer"), error.getMessage());
    }

    private void assertConsumer(ConsumerKind kind, String name, String filter, DeliverPolicy policy) throws Exception {
        ConsumerConfiguration config = fixture.consumer(kind).getConsumerConfiguration();
        assertEquals(name, config.getDurable());
        assertEquals(filter, config.getFilterSubject());
        assertEquals(policy, config.getDeliverPolicy());
        assertEquals(AckPolicy.Explicit, config.getAckPolicy());
        assertNull(config.getDeliverSubject(), "a pull consumer has no deliver subject");
    }
}
