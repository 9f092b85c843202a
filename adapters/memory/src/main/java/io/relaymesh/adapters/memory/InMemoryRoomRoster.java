package io.relaymesh.adapters.memory;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.RoomRoster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rooms of a single process (standalone mode). A room is an insertion-ordered map of peer id to
 * peer with a deadline, dropped when the deadline passes without a refresh. Thread-safe: every
 * method holds the roster's monitor (a room operation touches a few entries; standalone mode has
 * one pod, so there is no cross-pod contention to spread).
 */
public final class InMemoryRoomRoster implements RoomRoster {
    private record Room(LinkedHashMap<String, Peer> peers, long deadline) {
    }

    private final Clock clock;
    private final Map<String, Room> rooms = new HashMap<>();
    private final Map<PodId, Map<String, Held>> byPod = new HashMap<>();

    public InMemoryRoomRoster(Clock clock) {
        this.clock = clock;
    }

    public InMemoryRoomRoster() {
        this(Clock.SYSTEM);
    }

    @Override
    public synchronized Claim claim(String room, Peer peer, int maxPeers, Duration ttl) {
        Room current = live(room);
        LinkedHashMap<String, Peer> peers = current == null ? new LinkedHashMap<>() : current.peers();
        Peer holder = peers.get(peer.peerId());
        if (holder != null) {
            return new Claim.Taken(holder);
        }
        if (maxPeers > 0 && peers.size() >= maxPeers) {
            return new Claim.Full(List.copyOf(peers.values()));
        }
        List<Peer> others = List.copyOf(peers.values());
        peers.put(peer.peerId(), peer);
        long deadline = clock.millis() + ttl.toMillis();
        rooms.put(room, new Room(peers, current == null ? deadline : Math.max(deadline, current.deadline())));
        index(new Held(room, peer));
        return new Claim.Claimed(others);
    }

    @Override
    public synchronized boolean release(String room, Peer peer) {
        Room current = live(room);
        if (current == null || !peer.equals(current.peers().get(peer.peerId()))) {
            return false;
        }
        current.peers().remove(peer.peerId());
        if (current.peers().isEmpty()) {
            rooms.remove(room);
        }
        Map<String, Held> held = byPod.get(peer.pod());
        if (held != null) {
            held.remove(key(room, peer));
        }
        return true;
    }

    @Override
    public synchronized Map<String, List<Peer>> peers(Collection<String> wanted) {
        Map<String, List<Peer>> out = new LinkedHashMap<>();
        for (String room : wanted) {
            Room current = live(room);
            out.put(room, current == null ? List.of() : List.copyOf(current.peers().values()));
        }
        return out;
    }

    @Override
    public synchronized Refreshed refresh(PodId pod, Collection<Held> held, Duration ttl) {
        List<Held> restored = new ArrayList<>();
        List<Held> lost = new ArrayList<>();
        long deadline = clock.millis() + ttl.toMillis();
        for (Held h : held) {
            Room current = live(h.room());
            LinkedHashMap<String, Peer> peers = current == null ? new LinkedHashMap<>() : current.peers();
            Peer holder = peers.get(h.peer().peerId());
            if (holder == null) {
                peers.put(h.peer().peerId(), h.peer());
                restored.add(h);
            } else if (!holder.equals(h.peer())) {
                lost.add(h);
                continue;
            }
            rooms.put(h.room(), new Room(peers, current == null ? deadline : Math.max(deadline, current.deadline())));
            index(h);
        }
        return new Refreshed(restored, lost);
    }

    @Override
    public synchronized Set<PodId> pods() {
        return Set.copyOf(byPod.keySet());
    }

    @Override
    public synchronized List<Held> heldBy(PodId pod) {
        Map<String, Held> held = byPod.get(pod);
        return held == null ? List.of() : List.copyOf(held.values());
    }

    @Override
    public synchronized void forget(PodId pod) {
        byPod.remove(pod);
    }

    /** The room if it has not expired (an expired one is dropped, and its peers from their pods' indexes). */
    private Room live(String room) {
        Room current = rooms.get(room);
        if (current != null && current.deadline() <= clock.millis()) {
            rooms.remove(room);
            for (Peer peer : current.peers().values()) {
                Map<String, Held> held = byPod.get(peer.pod());
                if (held != null) {
                    held.remove(key(room, peer));
                }
            }
            return null;
        }
        return current;
    }

    private void index(Held held) {
        byPod.computeIfAbsent(held.peer().pod(), p -> new LinkedHashMap<>()).put(key(held.room(), held.peer()), held);
    }

    private static String key(String room, Peer peer) {
        return room + '\n' + peer.peerId() + '\n' + peer.owner().connection().value();
    }
}
