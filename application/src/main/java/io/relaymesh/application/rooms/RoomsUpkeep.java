package io.relaymesh.application.rooms;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.domain.port.RoomRoster;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What keeps the rooms right over time, run every second ({@link #tick}):
 * <ul>
 *   <li>a pod whose heartbeat lapsed (it died) still has peers in the roster: this pod releases
 *       them and tells their topics they left; the roster's compare-and-delete makes sure only one
 *       pod announces each. On the first tick, entries this pod left behind in an earlier life
 *       (a restart under the same pod id) go the same way;</li>
 *   <li>every refresh interval, this pod's peers are re-asserted in the roster (a peer another pod
 *       released by mistake, say while this pod could not heartbeat, is put back and announced
 *       again; one whose id another connection took meanwhile leaves its topic);</li>
 *   <li>a peer whose token expired leaves its topic (its connection stays open; it may join again
 *       with a fresh token);</li>
 *   <li>every stats interval, topic statistics are logged.</li>
 * </ul>
 * Thread-safe; {@link #tick} is called by one thread at a time.
 */
public final class RoomsUpkeep {
    private static final Logger LOG = Logger.getLogger(RoomsUpkeep.class.getName());

    private final Rooms rooms;
    private final RoomRoster roster;
    private final PodDirectory pods;
    private final PodId self;
    private final Supplier<RoomsSettings> settings;
    private final Clock clock;
    private boolean started;
    private long lastRefreshNanos = System.nanoTime();
    private long lastStatsNanos = System.nanoTime();
    private volatile RoomStats lastStats = new RoomStats(0, 0, 0, List.of());

    public RoomsUpkeep(Rooms rooms, RoomRoster roster, PodDirectory pods, PodId self, Supplier<RoomsSettings> settings,
                       Clock clock) {
        this.rooms = rooms;
        this.roster = roster;
        this.pods = pods;
        this.self = self;
        this.settings = settings;
        this.clock = clock;
    }

    /** One round of upkeep; each part's failure is logged and the next tick tries again. */
    public synchronized void tick() {
        RoomsSettings s = settings.get();
        long now = System.nanoTime();
        try {
            if (!started) {
                releaseLeftovers();
                started = true;
            }
            releaseLostPods();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "rooms: releasing the peers of lost pods failed; trying again next second", e);
        }
        if (now - lastRefreshNanos >= s.refreshInterval().toNanos()) {
            lastRefreshNanos = now;
            try {
                refresh(s);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "rooms: refreshing this pod's peers in the roster failed; will retry", e);
            }
        }
        expireTokens();
        if (now - lastStatsNanos >= s.statsInterval().toNanos()) {
            lastStatsNanos = now;
            logStats();
        }
    }

    /** Peers of pods without a heartbeat: released, and announced as left in their topics. */
    void releaseLostPods() {
        Set<PodId> holders = roster.pods();
        if (holders.isEmpty() || holders.size() == 1 && holders.contains(self)) {
            return;
        }
        Set<PodId> live = pods.livePods();
        for (PodId pod : holders) {
            if (pod.equals(self) || live.contains(pod) || pods.alive(pod)) {
                continue;
            }
            int left = 0;
            List<RoomRoster.Held> held = roster.heldBy(pod);
            for (RoomRoster.Held h : held) {
                if (roster.release(h.room(), h.peer())) {
                    rooms.envelopes().deliverNow(rooms.envelopes().left(h.room(), h.peer().peerId(), null));
                    left++;
                }
            }
            roster.forget(pod);
            rooms.metricsPeerLeft("pod_gone", left);
            LOG.info("rooms: pod_id=" + pod + " has no heartbeat: " + left + " of its " + held.size()
                    + " peers left their topics (announced by this pod)");
        }
    }

    /** Entries under this pod's id whose connection is not live here: left by an earlier process of this pod. */
    private void releaseLeftovers() {
        int left = 0;
        for (RoomRoster.Held h : roster.heldBy(self)) {
            if (!rooms.members().hasConnection(h.peer().owner().connection()) && roster.release(h.room(), h.peer())) {
                rooms.envelopes().deliverNow(rooms.envelopes().left(h.room(), h.peer().peerId(), null));
                left++;
            }
        }
        if (left > 0) {
            rooms.metricsPeerLeft("lost", left);
            LOG.info("rooms: " + left + " peers left behind by an earlier run of pod_id=" + self
                    + " were released and announced as left");
        }
    }

    private void refresh(RoomsSettings s) {
        List<RoomRoster.Held> held = rooms.members().held();
        if (held.isEmpty()) {
            return;
        }
        RoomRoster.Refreshed refreshed = roster.refresh(self, held, s.rosterTtl());
        Set<RoomRoster.Held> restored = new HashSet<>(refreshed.restored());
        Set<RoomRoster.Held> lost = new HashSet<>(refreshed.lost());
        if (restored.isEmpty() && lost.isEmpty()) {
            return;
        }
        for (RoomMember member : rooms.members().joined()) {
            member.lock.lock();
            try {
                RoomMember.Joined joined = member.joined();
                if (joined == null || member.gone()) {
                    continue;
                }
                if (restored.remove(joined.held())) {
                    member.outbox().add(rooms.envelopes().joined(joined.topic(), joined.peerId(),
                            member.session().connection().id()));
                    LOG.warning("rooms: peer " + joined.peerId() + " of this pod had been released by another pod "
                            + "(this pod looked dead to it); put back and announced again");
                } else if (lost.contains(joined.held())) {
                    rooms.sessions().leave(member.session(), joined.key());
                    member.joined(null);
                    rooms.members().exited(joined.topic(), member);
                    rooms.metricsPeerLeft("lost", 1);
                    rooms.sessions().send(member.session(), rooms.replies().error("you are no longer in the topic: "
                            + "while this server was out of touch, another connection took peerId " + joined.peerId()
                            + "; join again"));
                }
            } finally {
                member.lock.unlock();
            }
        }
        // Put back for a peer that left meanwhile: take it out again.
        for (RoomRoster.Held h : restored) {
            roster.release(h.room(), h.peer());
        }
    }

    private void expireTokens() {
        Instant now = clock.now();
        for (RoomMember member : rooms.members().joined()) {
            RoomMember.Joined joined = member.joined();
            if (joined == null || !joined.validUntil().isBefore(now)) {
                continue;
            }
            member.lock.lock();
            try {
                joined = member.joined();
                if (joined == null || member.gone() || !joined.validUntil().isBefore(now)) {
                    continue;
                }
                rooms.sessions().leave(member.session(), joined.key());
                rooms.exit(member, joined, "token_expired");
                rooms.sessions().send(member.session(), rooms.replies().error("your token expired: you left the topic;"
                        + " join again with a new token"));
            } finally {
                member.lock.unlock();
            }
        }
    }

    /** Logs the topic statistics (the seed's every-5-minutes lines) and keeps them for {@link #lastStats}. */
    void logStats() {
        Map<String, Integer> local = rooms.members().peersPerTopic();
        Map<String, Integer> cluster = null;
        if (!local.isEmpty()) {
            try {
                cluster = new HashMap<>();
                for (Map.Entry<String, List<RoomRoster.Peer>> entry : roster.peers(local.keySet()).entrySet()) {
                    cluster.put(entry.getKey(), entry.getValue().size());
                }
            } catch (RuntimeException e) {
                cluster = null;
            }
        }
        RoomStats stats = RoomStats.of(local, cluster);
        lastStats = stats;
        stats.lines().forEach(LOG::info);
    }

    /** The statistics of the last {@link #logStats}. */
    public RoomStats lastStats() {
        return lastStats;
    }
}
