package io.relaymesh.application.rooms;

import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.dialect.DialectSessions;
import io.relaymesh.domain.model.Names;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.domain.port.RoomRoster;
import io.relaymesh.domain.port.RoomRoster.Claim;
import io.relaymesh.domain.port.RoomRoster.Peer;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The peer rooms (the PluresDB relay's protocol): a connection joins a topic as a peer, the other
 * peers of the topic (on any pod) hear of it, data it sends is relayed to each of them in the order
 * sent, and when it leaves (or its connection ends) they hear of that too. Membership and peer ids
 * are in the shared {@link RoomRoster}, so an id is unique in its topic and a topic's cap holds
 * across the cluster; relaying goes through the core's delivery to the route key
 * {@code room:{topic}}, each connection's envelopes through its own {@link RoomOutbox} (in order,
 * batched under load, off the connection's reading thread). Bad requests get an error frame and the
 * connection stays open.
 *
 * <p>Thread-safe: a connection's requests, and its departure, run under its member's lock.
 */
public final class Rooms {
    private static final Logger LOG = Logger.getLogger(Rooms.class.getName());
    /** The route key namespace of the rooms: {@code room:{topic}}. */
    public static final String NAMESPACE = "room";
    /** Server-assigned peer ids: this prefix and 16 random hex digits (64 bits). */
    public static final String ASSIGNED_PREFIX = "peer-";
    private static final int ASSIGNED_ID_ATTEMPTS = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DialectSessions sessions;
    private final RoomRoster roster;
    private final PodDirectory pods;
    private final PodId self;
    private final Supplier<RoomsSettings> settings;
    private final RoomAccess access;
    private final RoomReplies replies;
    private final RoomsMetrics metrics;
    private final RoomMembers members;
    private final RoomEnvelopes envelopes;

    public Rooms(DialectSessions sessions, RoomRoster roster, PodDirectory pods, PodId self,
                 Supplier<RoomsSettings> settings, Supplier<io.relaymesh.domain.port.JwtVerifier> jwt,
                 io.relaymesh.domain.port.RevocationList revocations, RoomReplies replies, RoomEnvelopes envelopes,
                 RoomsMetrics metrics, java.util.concurrent.Executor relay) {
        this.sessions = sessions;
        this.roster = roster;
        this.pods = pods;
        this.self = self;
        this.settings = settings;
        this.access = new RoomAccess(settings, jwt, revocations);
        this.replies = replies;
        this.envelopes = envelopes;
        this.metrics = metrics;
        this.members = new RoomMembers(() -> envelopes.outbox(relay));
    }

    /** Handles one client request of {@code session}: the connection's rates first, then the request. */
    public void handle(LocalSession session, RoomRequest request) {
        metrics.frameReceived(request.frameBytes());
        RoomMember member = members.of(session);
        member.lock.lock();
        try {
            if (member.gone()) {
                members.remove(session);
                return; // the connection ended while this frame was read: nothing to do for it
            }
            String over = member.budget().take(request.frameBytes(), settings.get(), System.nanoTime());
            if (over != null) {
                rateLimited(member, over);
                return;
            }
            switch (request) {
                case RoomRequest.Join join -> join(member, join);
                case RoomRequest.Data data -> data(member, data);
                case RoomRequest.Leave leave -> leave(member);
                case RoomRequest.Invalid invalid -> error(member, invalid.problem(), "invalid");
            }
        } finally {
            member.lock.unlock();
        }
    }

    /**
     * The connection of {@code session} ended (the core already cleaned it up): its peer leaves its
     * topic and the others hear of it. Idempotent.
     */
    public void closed(LocalSession session) {
        RoomMember member = members.remove(session);
        if (member == null) {
            return;
        }
        member.lock.lock();
        try {
            member.markGone();
            RoomMember.Joined joined = member.joined();
            if (joined != null) {
                exit(member, joined, "close");
            }
        } finally {
            member.lock.unlock();
        }
    }

    private void join(RoomMember member, RoomRequest.Join join) {
        RoomMember.Joined current = member.joined();
        if (current != null) {
            error(member, "already joined as peer " + current.peerId() + "; send leave first", "already_joined");
            return;
        }
        String topic = join.topic();
        if (topic == null) {
            refuse(member, "join needs a topic (a string)", "invalid");
            return;
        }
        String problem = Names.problemWith(topic);
        if (problem != null) {
            refuse(member, "topic " + problem, "invalid");
            return;
        }
        String requested = join.peerId();
        if (requested != null && (problem = Names.problemWith(requested)) != null) {
            refuse(member, "peerId " + problem, "invalid");
            return;
        }
        LocalSession session = member.session();
        String token = join.token() != null ? join.token()
                : session.principal() instanceof RoomPrincipal p ? p.upgradeToken() : null;
        RoomAccess.Decision decision = access.check(token, topic, requested);
        if (decision instanceof RoomAccess.Decision.Denied denied) {
            refuse(member, denied.message(), "auth");
            return;
        }
        RoomAccess.Decision.Granted granted = (RoomAccess.Decision.Granted) decision;
        if (requested == null) {
            requested = granted.peerId();
        }
        RoomsSettings s = settings.get();
        Peer peer;
        Claim claim;
        int attempts = 0;
        boolean reaped = false;
        try {
            while (true) {
                peer = new Peer(requested != null ? requested : assignedId(), session.owner());
                claim = roster.claim(topic, peer, s.maxPeersPerTopic(), s.rosterTtl());
                if (claim instanceof Claim.Claimed) {
                    break;
                }
                // A holder on a dead pod (or a leftover of this pod's earlier life) is no one: clear and retry once.
                List<Peer> blocking = claim instanceof Claim.Taken taken ? List.of(taken.holder())
                        : ((Claim.Full) claim).peers();
                if (!reaped && stale(topic, blocking).size() > 0) {
                    reaped = true;
                    continue;
                }
                if (claim instanceof Claim.Taken && requested == null && ++attempts < ASSIGNED_ID_ATTEMPTS) {
                    continue; // two random ids met: draw again
                }
                break;
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "join failed: the room roster is unavailable", e);
            refuse(member, "could not join now (the room store is unavailable); try again", "unavailable");
            return;
        }
        switch (claim) {
            case Claim.Taken taken -> refuse(member, "peerId " + peer.peerId() + " is already in use in this topic",
                    "duplicate");
            case Claim.Full full -> refuse(member, "the topic is full (" + full.peers().size()
                    + " peers; dialects.rooms.max_peers_per_topic)", "full");
            case Claim.Claimed claimed -> enter(member, topic, peer, granted, claimed.others());
        }
    }

    /** The claim went through: tell the joiner who is there, route the topic here, tell the others. */
    private void enter(RoomMember member, String topic, Peer peer, RoomAccess.Decision.Granted granted,
                       List<Peer> others) {
        List<Peer> stale = stale(topic, others);
        List<String> present = new ArrayList<>(others.size());
        for (Peer other : others) {
            if (!stale.contains(other)) {
                present.add(other.peerId());
            }
        }
        LocalSession session = member.session();
        RouteKey key = RoomEnvelopes.key(topic);
        RoomMember.Joined joined = new RoomMember.Joined(topic, key, peer, granted.validUntil());
        // The route first: once the joiner hears "joined", whatever the topic relays reaches it (so a
        // frame of another peer, sent at that moment, may come just before "joined").
        if (!sessions.join(session, key)) {
            release(topic, peer);
            refuse(member, "could not join now (the route registry is unavailable); try again", "unavailable");
            return;
        }
        member.joined(joined);
        members.entered(topic, member);
        sessions.send(session, replies.joined(topic, peer.peerId(), present));
        member.outbox().add(envelopes.joined(topic, peer.peerId(), session.connection().id()));
        metrics.peerJoined();
        LOG.fine(() -> "peer " + peer.peerId() + " joined topic " + RoomStats.fingerprint(topic) + " ("
                + (present.size() + 1) + " peers in topic)");
    }

    private void data(RoomMember member, RoomRequest.Data data) {
        RoomMember.Joined joined = member.joined();
        if (joined == null) {
            error(member, "not joined: send join first", "not_joined");
            return;
        }
        if (data.data() == null) {
            error(member, "a data frame needs \"data\": a base64 string", "bad_data");
            return;
        }
        long bytes = Base64Text.decodedLength(data.data());
        if (bytes < 0) {
            error(member, "data is not valid base64", "bad_base64");
            return;
        }
        int max = settings.get().maxDataBytes();
        if (bytes > max) {
            error(member, "data is " + bytes + " bytes; at most " + max + " are relayed (dialects.rooms.max_data_bytes)",
                    "too_large");
            return;
        }
        member.outbox().add(envelopes.data(joined.key(), joined.peerId(), data.data(),
                member.session().connection().id()));
        metrics.dataRelayed((int) bytes);
    }

    private void leave(RoomMember member) {
        RoomMember.Joined joined = member.joined();
        if (joined == null) {
            error(member, "not joined: nothing to leave", "not_joined");
            return;
        }
        sessions.leave(member.session(), joined.key());
        exit(member, joined, "leave");
        sessions.send(member.session(), replies.left(joined.topic(), joined.peerId()));
    }

    /**
     * Takes {@code member} out of its topic (under its lock): the roster entry goes, the others hear
     * of it. The caller leaves the route key when the connection stays open.
     */
    void exit(RoomMember member, RoomMember.Joined joined, String reason) {
        member.joined(null);
        members.exited(joined.topic(), member);
        release(joined.topic(), joined.peer());
        member.outbox().add(envelopes.left(joined.topic(), joined.peerId(), member.session().connection().id()));
        metrics.peerLeft(reason, 1);
        LOG.fine(() -> "peer " + joined.peerId() + " left topic " + RoomStats.fingerprint(joined.topic()) + " ("
                + reason + ")");
    }

    /**
     * The peers of {@code peers} nobody holds any more: on a pod without a heartbeat, or on this pod
     * without a live connection (left over from before a restart under the same pod id). Each is
     * released, and the others hear that it left (once: only the release that removes it announces).
     */
    List<Peer> stale(String topic, List<Peer> peers) {
        List<Peer> stale = new ArrayList<>();
        for (Peer peer : peers) {
            boolean gone = peer.pod().equals(self) ? !members.hasConnection(peer.owner().connection())
                    : !alive(peer.pod());
            if (gone) {
                stale.add(peer);
                if (release(topic, peer)) {
                    envelopes.deliverNow(envelopes.left(topic, peer.peerId(), null));
                    metrics.peerLeft(peer.pod().equals(self) ? "lost" : "pod_gone", 1);
                }
            }
        }
        return stale;
    }

    private boolean alive(PodId pod) {
        try {
            return pods.alive(pod);
        } catch (RuntimeException e) {
            return true; // unknown: never evict on a guess
        }
    }

    /** Releases the roster entry; false when it was not there (or the roster is unreachable: it expires). */
    private boolean release(String topic, Peer peer) {
        try {
            return roster.release(topic, peer);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "peer " + peer.peerId() + " could not be removed from the room roster; "
                    + "it is removed when its topic expires", e);
            return false;
        }
    }

    private void rateLimited(RoomMember member, String limit) {
        metrics.rateLimited(limit);
        if (member.budget().warnNow(System.nanoTime())) {
            RoomsSettings s = settings.get();
            String rate = limit.equals("frames") ? s.maxFramesPerSecond() + " frames" : s.maxBytesPerSecond() + " bytes";
            error(member, "rate limit: more than " + rate + " per second; frames over it are dropped "
                    + "(dialects.rooms.max_" + limit + "_per_second)", "rate_" + limit);
        }
    }

    private void refuse(RoomMember member, String message, String reason) {
        metrics.joinRefused(reason);
        error(member, message, "join_" + reason);
    }

    private void error(RoomMember member, String message, String reason) {
        metrics.error(reason);
        sessions.send(member.session(), replies.error(message));
    }

    /** A peer id for a join that brings none: {@value #ASSIGNED_PREFIX} and 64 random bits in hex. */
    static String assignedId() {
        byte[] bits = new byte[8];
        RANDOM.nextBytes(bits);
        return ASSIGNED_PREFIX + HexFormat.of().formatHex(bits);
    }

    RoomMembers members() {
        return members;
    }

    RoomEnvelopes envelopes() {
        return envelopes;
    }

    RoomReplies replies() {
        return replies;
    }

    DialectSessions sessions() {
        return sessions;
    }

    void metricsPeerLeft(String reason, int peers) {
        if (peers > 0) {
            metrics.peerLeft(reason, peers);
        }
    }

    /**
     * Waits, at most {@code timeout}, until what the connections sent (their departures included)
     * has been relayed; for a pod that stops, between closing its sockets and leaving the cluster.
     */
    public boolean awaitRelayed(java.time.Duration timeout) {
        return envelopes.awaitSettled(timeout);
    }

    /** Peers of this pod in a topic. */
    public int localPeers() {
        return members.peers();
    }

    /** Topics with a peer on this pod. */
    public int localTopics() {
        return members.topics();
    }
}
