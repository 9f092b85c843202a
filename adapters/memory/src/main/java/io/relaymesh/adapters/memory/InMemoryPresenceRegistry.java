package io.relaymesh.adapters.memory;

import io.relaymesh.domain.port.PresenceRegistry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Presence on this process (standalone mode): the same rules as the Redis adapter, on maps guarded
 * by this object's monitor. Thread-safe.
 */
public final class InMemoryPresenceRegistry implements PresenceRegistry {
    /** user → connection → expiry (epoch ms). */
    private final Map<String, Map<String, Long>> entries = new HashMap<>();
    private final Map<String, Set<String>> groupsOfUser = new HashMap<>();
    private final Map<String, Set<String>> membersOfGroup = new HashMap<>();

    @Override
    public synchronized boolean connected(Entry entry, Instant now) {
        Map<String, Long> live = liveEntries(entry.user(), now.toEpochMilli());
        boolean cameOnline = live.isEmpty();
        live.put(entry.connection(), entry.expiresAt().toEpochMilli());
        return cameOnline;
    }

    @Override
    public synchronized Set<String> renewed(List<Entry> batch, Instant now) {
        Set<String> cameOnline = new LinkedHashSet<>();
        for (Entry entry : batch) {
            if (connected(entry, now)) {
                cameOnline.add(entry.user());
            }
        }
        return cameOnline;
    }

    @Override
    public synchronized Set<String> disconnected(String user, String connection, Instant now) {
        Map<String, Long> live = entries.get(user);
        if (live == null || live.remove(connection) == null) {
            return null; // already reported offline by a sweep, or never online
        }
        live.values().removeIf(expiry -> expiry <= now.toEpochMilli());
        return live.isEmpty() ? wentOffline(user) : null;
    }

    @Override
    public synchronized boolean joined(String user, String group) {
        membersOfGroup.computeIfAbsent(group, g -> new LinkedHashSet<>()).add(user);
        return groupsOfUser.computeIfAbsent(user, u -> new LinkedHashSet<>()).add(group);
    }

    @Override
    public synchronized List<Offline> sweep(Instant now, int limit) {
        List<Offline> offline = new ArrayList<>();
        for (String user : List.copyOf(entries.keySet())) {
            if (offline.size() >= limit) {
                break;
            }
            Map<String, Long> live = entries.get(user);
            live.values().removeIf(expiry -> expiry <= now.toEpochMilli());
            if (live.isEmpty()) {
                offline.add(new Offline(user, wentOffline(user)));
            }
        }
        return offline;
    }

    @Override
    public synchronized Map<String, Boolean> online(Collection<String> users, Instant now) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (String user : users) {
            Map<String, Long> live = entries.get(user);
            out.put(user, live != null && live.values().stream().anyMatch(expiry -> expiry > now.toEpochMilli()));
        }
        return out;
    }

    @Override
    public synchronized Set<String> onlineMembers(String group, Instant now) {
        Set<String> members = membersOfGroup.getOrDefault(group, Set.of());
        Set<String> online = new LinkedHashSet<>();
        online(members, now).forEach((user, isOnline) -> {
            if (isOnline) {
                online.add(user);
            }
        });
        return online;
    }

    private Map<String, Long> liveEntries(String user, long nowMillis) {
        Map<String, Long> live = entries.computeIfAbsent(user, u -> new HashMap<>());
        live.values().removeIf(expiry -> expiry <= nowMillis);
        return live;
    }

    private Set<String> wentOffline(String user) {
        entries.remove(user);
        Set<String> groups = groupsOfUser.remove(user);
        if (groups == null) {
            return Set.of();
        }
        for (String group : groups) {
            Set<String> members = membersOfGroup.get(group);
            if (members != null) {
                members.remove(user);
                if (members.isEmpty()) {
                    membersOfGroup.remove(group);
                }
            }
        }
        return groups;
    }
}
