package io.relaymesh.application.rooms;

import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.port.RoomRoster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This pod's connections of the rooms dialect, and which topics their peers are in. Thread-safe.
 */
final class RoomMembers {
    private final ConcurrentHashMap<ConnectionId, RoomMember> bySession = new ConcurrentHashMap<>();
    private final java.util.function.Supplier<RoomOutbox> outboxes;
    /** Peers per topic on this pod. */
    private final ConcurrentHashMap<String, Set<RoomMember>> byTopic = new ConcurrentHashMap<>();

    RoomMembers(java.util.function.Supplier<RoomOutbox> outboxes) {
        this.outboxes = outboxes;
    }

    /** The member for {@code session}, made on its first frame. */
    RoomMember of(LocalSession session) {
        return bySession.computeIfAbsent(session.connection().id(), id -> new RoomMember(session, outboxes.get(), System.nanoTime()));
    }

    /** Whether {@code connection} is a live connection of this pod that has spoken the rooms protocol. */
    boolean hasConnection(ConnectionId connection) {
        return bySession.containsKey(connection);
    }

    /** Forgets {@code session}'s member; returns it, or null. */
    RoomMember remove(LocalSession session) {
        return bySession.remove(session.connection().id());
    }

    void entered(String topic, RoomMember member) {
        byTopic.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(member);
    }

    void exited(String topic, RoomMember member) {
        byTopic.computeIfPresent(topic, (t, members) -> {
            members.remove(member);
            return members.isEmpty() ? null : members;
        });
    }

    /** Every joined peer of this pod. */
    List<RoomMember> joined() {
        List<RoomMember> out = new ArrayList<>();
        for (RoomMember member : bySession.values()) {
            if (member.joined() != null) {
                out.add(member);
            }
        }
        return out;
    }

    /** Every roster entry this pod holds. */
    List<RoomRoster.Held> held() {
        List<RoomRoster.Held> out = new ArrayList<>();
        for (RoomMember member : bySession.values()) {
            RoomMember.Joined joined = member.joined();
            if (joined != null) {
                out.add(joined.held());
            }
        }
        return out;
    }

    /** Whether a member of this pod holds {@code held} now. */
    boolean holds(RoomRoster.Held held) {
        Set<RoomMember> members = byTopic.get(held.room());
        if (members == null) {
            return false;
        }
        for (RoomMember member : members) {
            RoomMember.Joined joined = member.joined();
            if (joined != null && joined.held().equals(held)) {
                return true;
            }
        }
        return false;
    }

    /** Peers on this pod per topic (a snapshot). */
    Map<String, Integer> peersPerTopic() {
        Map<String, Integer> out = new HashMap<>();
        byTopic.forEach((topic, members) -> out.put(topic, members.size()));
        return out;
    }

    int topics() {
        return byTopic.size();
    }

    int peers() {
        int peers = 0;
        for (Set<RoomMember> members : byTopic.values()) {
            peers += members.size();
        }
        return peers;
    }

    int connections() {
        return bySession.size();
    }
}
