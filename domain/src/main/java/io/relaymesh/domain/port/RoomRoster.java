package io.relaymesh.domain.port;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.SessionOwner;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who is in which room, cluster-wide: a room (a topic of the peer rooms dialect) holds peers, each
 * with an id unique in the room and the connection that holds it. A claim is atomic across the
 * cluster, so two connections never hold one peer id in one room and a room never passes its cap.
 * Each pod's peers are also indexed by pod, so that when a pod dies the others can find and release
 * its peers. A room's entries expire unless a pod holding peers in it refreshes them. Thread-safe.
 */
public interface RoomRoster {

    /** A peer: its id in the room and the connection (pod and connection id) that holds it. */
    record Peer(String peerId, SessionOwner owner) {
        public Peer {
            Objects.requireNonNull(peerId, "peerId");
            Objects.requireNonNull(owner, "owner");
        }

        public PodId pod() {
            return owner.pod();
        }
    }

    /** A peer in a room. */
    record Held(String room, Peer peer) {
        public Held {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(peer, "peer");
        }
    }

    /** What became of a claim. */
    sealed interface Claim {
        /** The peer is in the room now; {@code others} are the peers that were there already. */
        record Claimed(List<Peer> others) implements Claim {
            public Claimed {
                others = List.copyOf(others);
            }
        }

        /** Another connection holds that peer id in the room. */
        record Taken(Peer holder) implements Claim {
        }

        /** The room holds {@code peers} already, as many as the cap allows. */
        record Full(List<Peer> peers) implements Claim {
            public Full {
                peers = List.copyOf(peers);
            }
        }
    }

    /** Outcome of a refresh: the peers that had gone and were put back, and those another connection holds now. */
    record Refreshed(List<Held> restored, List<Held> lost) {
        public Refreshed {
            restored = List.copyOf(restored);
            lost = List.copyOf(lost);
        }
    }

    /**
     * Puts {@code peer} in {@code room} unless its id is held there (by any connection, this one
     * included) or the room holds {@code maxPeers} peers already (0 = no cap); the room's entries
     * then live at least {@code ttl}.
     */
    Claim claim(String room, Peer peer, int maxPeers, Duration ttl);

    /** Removes {@code peer} from {@code room} if that very connection still holds its id; true if it did. */
    boolean release(String room, Peer peer);

    /** The peers of each room, in one round trip; rooms without peers map to an empty list. */
    Map<String, List<Peer>> peers(Collection<String> rooms);

    /**
     * Makes sure every one of {@code held} (all of this pod's) is still in its room, putting back
     * those that went missing, and extends the life of their rooms and of this pod's index to
     * {@code ttl}. A peer id another connection took meanwhile is left to it and reported lost.
     */
    Refreshed refresh(PodId pod, Collection<Held> held, Duration ttl);

    /** Pods that have held peers and have not been forgotten. */
    Set<PodId> pods();

    /** The peers {@code pod} holds, by its index. */
    List<Held> heldBy(PodId pod);

    /** Drops the index of {@code pod} (once its peers were released: a dead pod's, or this pod's at start). */
    void forget(PodId pod);
}
