package io.relaymesh.application.dialect.conversations;

import io.relaymesh.application.dialect.DialectSessions;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.PresenceRegistry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Presence of conversation users across pods, on the {@link PresenceRegistry}: a user is online
 * while any connection is open, offline when the last one closes or {@code presence_expiry} after
 * the last heartbeat of one that vanished. A user's presence is announced to a conversation when
 * they first join it in an online period, and their going offline to every conversation they
 * joined in it. Thread-safe; its calls block on the registry, so callers run them off event loops.
 */
public final class Presence {
    private static final Logger LOG = Logger.getLogger(Presence.class.getName());
    /** Lapsed users handled per sweep and pod; the next tick takes the rest. */
    private static final int SWEEP_LIMIT = 500;

    private final PresenceRegistry registry;
    private final DialectSessions sessions;
    private final Clock clock;
    private final ConversationsSettings settings;
    private final ConversationsMetrics metrics;

    public Presence(PresenceRegistry registry, DialectSessions sessions, Clock clock, ConversationsSettings settings,
                    ConversationsMetrics metrics) {
        this.registry = registry;
        this.sessions = sessions;
        this.clock = clock;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** A connection of {@code user} opened. */
    public void connected(ChatUser user, ConnectionId connection) {
        Instant now = clock.now();
        registry.connected(new PresenceRegistry.Entry(user.userId(), connection.value(),
                now.plus(settings.presenceExpiry())), now);
    }

    /** {@code user} joined {@code conversation} on {@code connection}: the conversation hears they are online, once per period. */
    public void joined(ChatUser user, String conversation, ConnectionId connection) {
        if (registry.joined(user.userId(), conversation)) {
            announce(user.userId(), "online", List.of(conversation), connection);
        }
    }

    /** A connection closed: the last one takes the user offline. */
    public void disconnected(ChatUser user, ConnectionId connection) {
        Set<String> groups = registry.disconnected(user.userId(), connection.value(), clock.now());
        if (groups != null) {
            announce(user.userId(), "offline", groups, null);
        }
    }

    /** A connection's heartbeat, at {@code lastHeartbeat}. */
    public record Heartbeat(ChatUser user, ConnectionId connection, Instant lastHeartbeat, List<String> conversations) {
    }

    /** Renews the entries of connections that sent heartbeats; a user whose entries had lapsed comes back online. */
    public void renew(List<Heartbeat> heartbeats) {
        if (heartbeats.isEmpty()) {
            return;
        }
        List<PresenceRegistry.Entry> entries = new ArrayList<>(heartbeats.size());
        for (Heartbeat beat : heartbeats) {
            entries.add(new PresenceRegistry.Entry(beat.user().userId(), beat.connection().value(),
                    beat.lastHeartbeat().plus(settings.presenceExpiry())));
        }
        Set<String> back = registry.renewed(entries, clock.now());
        for (Heartbeat beat : heartbeats) {
            if (back.contains(beat.user().userId())) {
                for (String conversation : beat.conversations()) {
                    joined(beat.user(), conversation, null);
                }
            }
        }
    }

    /** Takes offline the users whose every connection stopped heart-beating (their pod died, say). */
    public void sweep() {
        for (PresenceRegistry.Offline offline : registry.sweep(clock.now(), SWEEP_LIMIT)) {
            announce(offline.user(), "offline", offline.groups(), null);
        }
    }

    /** Whether each of {@code users} is online; with none given, the online members of {@code conversation}. */
    public Map<String, Boolean> query(String conversation, Collection<String> users) {
        Instant now = clock.now();
        if (users == null || users.isEmpty()) {
            Map<String, Boolean> out = new java.util.LinkedHashMap<>();
            registry.onlineMembers(conversation, now).forEach(user -> out.put(user, true));
            return out;
        }
        return registry.online(users, now);
    }

    private void announce(String user, String status, Collection<String> conversations, ConnectionId exclude) {
        metrics.presenceChanged(status);
        if (conversations.isEmpty()) {
            return;
        }
        List<RouteKey> audience = conversations.stream().map(ConversationKeys::conversation).toList();
        Envelope envelope = new Envelope(UUID.randomUUID().toString(), audience, new byte[0],
                Map.of(ConversationKeys.KIND, ConversationKeys.KIND_PRESENCE, ConversationKeys.USER_ID, user,
                        ConversationKeys.STATUS, status), clock.millis(), exclude);
        sessions.deliver(envelope).whenComplete((missed, error) -> {
            if (error != null || !missed.isEmpty()) {
                LOG.log(Level.FINE, "presence of user_id=" + user + " did not reach " + missed, error);
            }
        });
    }
}
