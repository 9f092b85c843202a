package io.relaymesh.application.delivery;

import io.relaymesh.application.connection.ClientConnection.Offer;
import io.relaymesh.application.connection.ClientMessage;
import io.relaymesh.application.connection.Gateway;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.connection.Principal;
import io.relaymesh.application.connection.ServerMessage;
import io.relaymesh.application.fakes.Cluster;
import io.relaymesh.application.fakes.Pod;
import io.relaymesh.application.fakes.Principals;
import io.relaymesh.application.fakes.RecordingConnection;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.testkit.PrimaryEvents;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class EventDeliveryTest {
    private static final Duration TTL = Duration.ofMinutes(5);

    private final Cluster cluster = new Cluster();
    private final Pod pod = cluster.pod("pod-a");
    private final EventDelivery delivery = pod.delivery;

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    private RecordingConnection connect(Principal principal) {
        RecordingConnection connection = cluster.connection();
        pod.open(principal, connection);
        return connection;
    }

    private RecordingConnection connectToChat(String company, String agent, String user, String chatId) {
        RecordingConnection connection = cluster.connection();
        LocalSession session = pod.open(Principals.user(company, agent, user), connection);
        assertInstanceOf(Gateway.Handled.Ok.class, pod.gateway.handle(session, new ClientMessage.SelectChat(chatId)));
        return connection;
    }

    private static Envelope event(PrimaryEvents.Subject subject) {
        return PrimaryEvents.event("evt-" + subject.value(), subject, "{\"n\":1}", 0);
    }

    private static List<Envelope> received(RecordingConnection connection) {
        return connection.offered(ServerMessage.EventFrame.class).stream().map(ServerMessage.EventFrame::event).toList();
    }

    @Test
    void chatsEvent_reachesEveryUserConnectionOfThatAgent_andNoOtherAgentOrCompany() {
        RecordingConnection alice = connect(Principals.user("c1", "a1", "alice"));
        RecordingConnection bob = connect(Principals.user("c1", "a1", "bob"));
        RecordingConnection otherAgent = connect(Principals.user("c1", "a2", "carol"));
        RecordingConnection otherCompany = connect(Principals.user("c2", "a1", "dave"));
        RecordingConnection admin = connect(Principals.admin("boss", "", "", ""));
        Envelope event = event(PrimaryEvents.chats("c1", "a1"));

        DeliveryReport report = delivery.deliver(event);

        assertEquals(new DeliveryReport(2, 0, Set.of()), report);
        assertEquals(List.of(event), received(alice));
        assertEquals(List.of(event), received(bob));
        assertEquals(List.of(), received(otherAgent));
        assertEquals(List.of(), received(otherCompany));
        assertEquals(List.of(), received(admin));
    }

    @Test
    void messagesEvent_reachesOnlyTheConnectionsThatSelectedThatChat() {
        RecordingConnection inChat = connectToChat("c1", "a1", "alice", "chat1");
        RecordingConnection otherChat = connectToChat("c1", "a1", "bob", "chat2");
        RecordingConnection noChat = connect(Principals.user("c1", "a1", "carol"));
        RecordingConnection sameChatIdOtherAgent = connectToChat("c1", "a2", "dave", "chat1");
        Envelope event = event(PrimaryEvents.messages("c1", "a1", "chat1"));

        DeliveryReport report = delivery.deliver(event);

        assertEquals(1, report.localQueued());
        assertEquals(List.of(event), received(inChat));
        assertEquals(List.of(), received(otherChat));
        assertEquals(List.of(), received(noChat));
        assertEquals(List.of(), received(sameChatIdOtherAgent));
    }

    @Test
    void messagesEvent_afterSwitchingChats_reachesOnlyTheNewChat() {
        RecordingConnection connection = cluster.connection();
        LocalSession session = pod.open(Principals.user("c1", "a1", "alice"), connection);
        pod.gateway.handle(session, new ClientMessage.SelectChat("chat1"));
        pod.gateway.handle(session, new ClientMessage.SelectChat("chat2"));
        Envelope toOld = event(PrimaryEvents.messages("c1", "a1", "chat1"));
        Envelope toNew = event(PrimaryEvents.messages("c1", "a1", "chat2"));

        delivery.deliver(toOld);
        delivery.deliver(toNew);

        assertEquals(List.of(toNew), received(connection));
    }

    @Test
    void agentsEvent_reachesAdminsSubscribedExactly_companyWide_agentWide_andToEverything() {
        RecordingConnection exact = connect(Principals.admin("exact", "c1", "a1", ""));
        RecordingConnection companyWide = connect(Principals.admin("company", "c1", "", ""));
        RecordingConnection agentWide = connect(Principals.admin("agent", "", "a1", ""));
        RecordingConnection everything = connect(Principals.admin("all", "", "", ""));
        RecordingConnection otherAgent = connect(Principals.admin("other-agent", "c1", "a2", ""));
        RecordingConnection otherCompany = connect(Principals.admin("other-company", "c2", "", ""));
        RecordingConnection user = connect(Principals.user("c1", "a1", "alice"));
        Envelope event = event(PrimaryEvents.agents("c1", "a1"));

        DeliveryReport report = delivery.deliver(event);

        assertEquals(4, report.localQueued());
        for (RecordingConnection subscribed : List.of(exact, companyWide, agentWide, everything)) {
            assertEquals(List.of(event), received(subscribed), subscribed.toString());
        }
        for (RecordingConnection notSubscribed : List.of(otherAgent, otherCompany, user)) {
            assertEquals(List.of(), received(notSubscribed), notSubscribed.toString());
        }
    }

    @Test
    void agentsEvent_isNotShownToAnAdminRestrictedToAnotherCompany() {
        RecordingConnection restrictedElsewhere = connect(Principals.admin("elsewhere", "", "", "c2"));
        RecordingConnection restrictedHere = connect(Principals.admin("here", "", "", "c1"));
        Envelope event = event(PrimaryEvents.agents("c1", "a1"));

        DeliveryReport report = delivery.deliver(event);

        assertEquals(1, report.localQueued());
        assertEquals(List.of(), received(restrictedElsewhere));
        assertEquals(List.of(event), received(restrictedHere));
    }

    @Test
    void eventWhoseRouteIsHeldOnlyByOtherPods_isReportedForForwarding_andNotDeliveredHere() {
        RouteKey chat = new RouteKey("chat:c1:a1:chat1");
        cluster.routes.register(chat, new PodId("pod-b"), TTL);
        cluster.routes.register(chat, new PodId("pod-c"), TTL);
        RecordingConnection sameAgentNoChat = connect(Principals.user("c1", "a1", "alice"));

        DeliveryReport report = delivery.deliver(event(PrimaryEvents.messages("c1", "a1", "chat1")));

        assertEquals(new DeliveryReport(0, 0, Set.of(new PodId("pod-b"), new PodId("pod-c"))), report);
        assertEquals(List.of(), received(sameAgentNoChat));
    }

    @Test
    void localMembersAreServed_evenWhenTheRegistryHasLostThisPodsMembership() {
        RecordingConnection alice = connect(Principals.user("c1", "a1", "alice"));
        RouteKey agent = new RouteKey("agent:c1:a1");
        cluster.routes.unregister(agent, pod.id);
        cluster.routes.register(agent, new PodId("pod-b"), TTL);

        DeliveryReport report = delivery.deliver(event(PrimaryEvents.chats("c1", "a1")));

        assertEquals(new DeliveryReport(1, 0, Set.of(new PodId("pod-b"))), report);
        assertEquals(1, received(alice).size());
    }

    @Test
    void eventRoutedToThisAndAnotherPod_isDeliveredHere_andReportsTheOtherPod() {
        RecordingConnection alice = connect(Principals.user("c1", "a1", "alice"));
        cluster.routes.register(new RouteKey("agent:c1:a1"), new PodId("pod-b"), TTL);
        Envelope event = event(PrimaryEvents.chats("c1", "a1"));

        DeliveryReport report = delivery.deliver(event);

        assertEquals(new DeliveryReport(1, 0, Set.of(new PodId("pod-b"))), report);
        assertEquals(List.of(event), received(alice));
    }

    @Test
    void eventWithoutAudience_isDeliveredNowhere() {
        assertEquals(new DeliveryReport(0, 0, Set.of()), delivery.deliver(event(PrimaryEvents.chats("c9", "a9"))));
    }

    @Test
    void rejectedAndDroppedOldestOffers_areCountedAsDropped() {
        RecordingConnection queued = connect(Principals.user("c1", "a1", "alice"));
        RecordingConnection droppedOldest = connect(Principals.user("c1", "a1", "bob")).answering(Offer.QUEUED_DROPPED_OLDEST);
        RecordingConnection rejected = connect(Principals.user("c1", "a1", "carol")).answering(Offer.REJECTED);

        DeliveryReport report = delivery.deliver(event(PrimaryEvents.chats("c1", "a1")));

        assertEquals(new DeliveryReport(2, 2, Set.of()), report);
        assertEquals(1, received(queued).size());
        assertEquals(1, received(droppedOldest).size());
        assertEquals(1, received(rejected).size());
    }

    @Test
    void deliverLocally_servesForwardedEventsWithoutConsultingTheRegistry() {
        RecordingConnection alice = connect(Principals.user("c1", "a1", "alice"));
        cluster.routes.unregister(new RouteKey("agent:c1:a1"), pod.id);
        Envelope event = event(PrimaryEvents.chats("c1", "a1"));

        int[] counts = delivery.deliverLocally(event);

        assertEquals(List.of(1, 0), List.of(counts[0], counts[1]));
        assertEquals(List.of(event), received(alice));
    }

    @Test
    void closedSessions_receiveNothing() {
        RecordingConnection connection = cluster.connection();
        LocalSession session = pod.open(Principals.user("c1", "a1", "alice"), connection);
        connect(Principals.user("c1", "a1", "bob"));
        pod.gateway.closed(session);

        DeliveryReport report = delivery.deliver(event(PrimaryEvents.chats("c1", "a1")));

        assertEquals(1, report.localQueued());
        assertEquals(List.of(), received(connection));
    }

    @Test
    void registryOutage_stillServesLocalConnections_andReportsTheFailedLookup() {
        RecordingConnection alice = connect(Principals.user("c1", "a1", "alice"));
        io.relaymesh.domain.port.RouteRegistry down = new io.relaymesh.domain.port.RouteRegistry() {
            public void register(RouteKey key, PodId p, java.time.Duration ttl) {
                throw new io.relaymesh.domain.error.PortUnavailableException("redis", "down", null);
            }

            public void unregister(RouteKey key, PodId p) {
                throw new io.relaymesh.domain.error.PortUnavailableException("redis", "down", null);
            }

            public void refresh(java.util.Collection<RouteKey> keys, PodId p, java.time.Duration ttl) {
                throw new io.relaymesh.domain.error.PortUnavailableException("redis", "down", null);
            }

            public java.util.Map<RouteKey, Set<PodId>> lookup(java.util.Collection<RouteKey> keys) {
                throw new io.relaymesh.domain.error.PortUnavailableException("redis", "down", null);
            }
        };
        EventDelivery duringOutage = new EventDelivery(pod.hub, down);

        DeliveryReport report = duringOutage.deliver(event(PrimaryEvents.chats("c1", "a1")));

        assertEquals(new DeliveryReport(1, 0, Set.of(), true), report);
        assertEquals(1, received(alice).size());
    }
}
