package io.relaymesh.adapters.redis;

import io.relaymesh.adapters.redis.RedisConnections.Retry;
import io.relaymesh.adapters.redis.RedisConnections.ScriptCall;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.RoomRoster;
import redis.clients.jedis.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rooms in Redis. {@code {prefix}rooms:room:{room}} is a hash of peer id to its owner
 * ({@link SessionOwner#encode()}, {@code pod/connection}); {@code {prefix}rooms:pod:{pod}} is a set
 * indexing the peers that pod holds ({@code room \n peer id \n connection}); {@code {prefix}rooms:pods}
 * is the set of pods with an index. A claim (uniqueness, cap, both writes) and a release
 * (compare-and-delete) are each one Lua script, so they are atomic across pods. Rooms and indexes
 * expire unless refreshed; refreshes of all a pod's rooms are one pipeline of script calls. Every
 * method is one round trip. Thread-safe: it keeps no state of its own.
 */
public final class RedisRoomRoster implements RoomRoster {
    static final String PORT = "room_roster";

    /**
     * KEYS: room, pod index, pods. ARGV: peer id, owner, cap (0 = none), TTL ms, index member, pod id.
     * Returns {"taken", holder} | {"full", field, value, ...} | {"claimed", field, value, ...} (the others).
     */
    private static final RedisScript CLAIM = RedisScript.of("room claim", """
            local holder = redis.call('HGET', KEYS[1], ARGV[1])
            if holder then
              return {'taken', holder}
            end
            local all = redis.call('HGETALL', KEYS[1])
            local max = tonumber(ARGV[3])
            local status = 'claimed'
            if max > 0 and #all / 2 >= max then
              status = 'full'
            else
              local ttl = tonumber(ARGV[4])
              redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
              if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
              redis.call('SADD', KEYS[2], ARGV[5])
              if redis.call('PTTL', KEYS[2]) < ttl then redis.call('PEXPIRE', KEYS[2], ttl) end
              redis.call('SADD', KEYS[3], ARGV[6])
            end
            local out = {status}
            for i = 1, #all do out[#out + 1] = all[i] end
            return out
            """);

    /** KEYS: room, pod index. ARGV: peer id, owner, index member. Deletes only the owner's entry. */
    private static final RedisScript RELEASE = RedisScript.of("room release", """
            if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
              redis.call('HDEL', KEYS[1], ARGV[1])
              redis.call('SREM', KEYS[2], ARGV[3])
              return 1
            end
            return 0
            """);

    /**
     * KEYS: room, pod index, pods. ARGV: TTL ms, pod id, then (peer id, owner, index member) per peer.
     * Returns per peer 0 (held), 1 (put back) or 2 (another owner holds the id).
     */
    private static final RedisScript REFRESH = RedisScript.of("room refresh", """
            local ttl = tonumber(ARGV[1])
            local out = {}
            for i = 3, #ARGV, 3 do
              local holder = redis.call('HGET', KEYS[1], ARGV[i])
              if not holder then
                redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
                redis.call('SADD', KEYS[2], ARGV[i + 2])
                out[#out + 1] = 1
              elseif holder == ARGV[i + 1] then
                redis.call('SADD', KEYS[2], ARGV[i + 2])
                out[#out + 1] = 0
              else
                out[#out + 1] = 2
              end
            end
            if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
            if redis.call('PTTL', KEYS[2]) < ttl then redis.call('PEXPIRE', KEYS[2], ttl) end
            redis.call('SADD', KEYS[3], ARGV[2])
            return out
            """);

    private final RedisConnections redis;

    public RedisRoomRoster(RedisConnections redis) {
        this.redis = Objects.requireNonNull(redis, "redis");
    }

    @Override
    public Claim claim(String room, Peer peer, int maxPeers, Duration ttl) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(peer, "peer");
        long ttlMillis = Ttls.positiveMillis(ttl);
        Object reply = redis.eval(PORT, "claim in room", Retry.NEVER, CLAIM,
                List.of(roomKey(room), indexKey(peer.pod()), podsKey()),
                List.of(peer.peerId(), peer.owner().encode(), Integer.toString(Math.max(0, maxPeers)),
                        Long.toString(ttlMillis), member(room, peer), peer.pod().value()));
        List<?> items = (List<?>) reply;
        String status = (String) items.getFirst();
        return switch (status) {
            case "taken" -> new Claim.Taken(new Peer(peer.peerId(), SessionOwner.decode((String) items.get(1))));
            case "full" -> new Claim.Full(peersOf(items.subList(1, items.size())));
            case "claimed" -> new Claim.Claimed(peersOf(items.subList(1, items.size())));
            default -> throw new IllegalStateException("room claim answered " + status);
        };
    }

    @Override
    public boolean release(String room, Peer peer) {
        Object reply = redis.eval(PORT, "release from room", Retry.ON_STALE_CONNECTION, RELEASE,
                List.of(roomKey(room), indexKey(peer.pod())),
                List.of(peer.peerId(), peer.owner().encode(), member(room, peer)));
        return Long.valueOf(1).equals(reply);
    }

    @Override
    public Map<String, List<Peer>> peers(Collection<String> rooms) {
        Set<String> distinct = new LinkedHashSet<>(rooms);
        if (distinct.isEmpty()) {
            return Map.of();
        }
        return redis.pipelined(PORT, "peers of " + distinct.size() + " rooms", Retry.ON_STALE_CONNECTION, pipeline -> {
            Map<String, Response<Map<String, String>>> replies = new LinkedHashMap<>();
            for (String room : distinct) {
                replies.put(room, pipeline.hgetAll(roomKey(room)));
            }
            return () -> {
                Map<String, List<Peer>> out = new LinkedHashMap<>();
                replies.forEach((room, reply) -> {
                    List<Peer> peers = new ArrayList<>();
                    reply.get().forEach((id, owner) -> peers.add(new Peer(id, SessionOwner.decode(owner))));
                    out.put(room, List.copyOf(peers));
                });
                return out;
            };
        });
    }

    @Override
    public Refreshed refresh(PodId pod, Collection<Held> held, Duration ttl) {
        long ttlMillis = Ttls.positiveMillis(ttl);
        Map<String, List<Held>> byRoom = new LinkedHashMap<>();
        for (Held h : held) {
            if (!h.peer().pod().equals(pod)) {
                throw new IllegalArgumentException("pod " + pod + " refreshes only its own peers, not " + h);
            }
            byRoom.computeIfAbsent(h.room(), r -> new ArrayList<>()).add(h);
        }
        if (byRoom.isEmpty()) {
            return new Refreshed(List.of(), List.of());
        }
        List<ScriptCall> calls = new ArrayList<>(byRoom.size());
        List<List<Held>> order = new ArrayList<>(byRoom.size());
        byRoom.forEach((room, peers) -> {
            List<String> args = new ArrayList<>(2 + peers.size() * 3);
            args.add(Long.toString(ttlMillis));
            args.add(pod.value());
            for (Held h : peers) {
                args.add(h.peer().peerId());
                args.add(h.peer().owner().encode());
                args.add(member(room, h.peer()));
            }
            calls.add(new ScriptCall(List.of(roomKey(room), indexKey(pod), podsKey()), args));
            order.add(peers);
        });
        List<Object> results = redis.evalAll(PORT, "refresh " + held.size() + " peers in " + byRoom.size() + " rooms",
                Retry.ON_STALE_CONNECTION, REFRESH, calls);
        List<Held> restored = new ArrayList<>();
        List<Held> lost = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            List<?> outcomes = (List<?>) results.get(i);
            List<Held> peers = order.get(i);
            for (int j = 0; j < outcomes.size(); j++) {
                long outcome = (Long) outcomes.get(j);
                if (outcome == 1) {
                    restored.add(peers.get(j));
                } else if (outcome == 2) {
                    lost.add(peers.get(j));
                }
            }
        }
        return new Refreshed(restored, lost);
    }

    @Override
    public Set<PodId> pods() {
        Set<String> members = redis.call(PORT, "pods with rooms", Retry.ON_STALE_CONNECTION,
                client -> client.smembers(podsKey()));
        return members.stream().map(PodId::new).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public List<Held> heldBy(PodId pod) {
        Set<String> members = redis.call(PORT, "peers held by " + pod, Retry.ON_STALE_CONNECTION,
                client -> client.smembers(indexKey(pod)));
        List<Held> held = new ArrayList<>(members.size());
        for (String member : members) {
            String[] parts = member.split("\n", -1);
            if (parts.length == 3) {
                held.add(new Held(parts[0], new Peer(parts[1], new SessionOwner(pod, new ConnectionId(parts[2])))));
            }
        }
        return held;
    }

    @Override
    public void forget(PodId pod) {
        redis.pipelined(PORT, "forget " + pod, Retry.ON_STALE_CONNECTION, pipeline -> {
            pipeline.del(indexKey(pod));
            pipeline.srem(podsKey(), pod.value());
            return () -> null;
        });
    }

    private static List<Peer> peersOf(List<?> fieldsAndValues) {
        List<Peer> peers = new ArrayList<>(fieldsAndValues.size() / 2);
        for (int i = 0; i + 1 < fieldsAndValues.size(); i += 2) {
            peers.add(new Peer((String) fieldsAndValues.get(i), SessionOwner.decode((String) fieldsAndValues.get(i + 1))));
        }
        return peers;
    }

    /** Room names and peer ids hold no whitespace (they are checked names), so a newline separates them. */
    private static String member(String room, Peer peer) {
        return room + '\n' + peer.peerId() + '\n' + peer.owner().connection().value();
    }

    private String roomKey(String room) {
        return redis.settings().key("rooms:room:" + room);
    }

    private String indexKey(PodId pod) {
        return redis.settings().key("rooms:pod:" + pod.value());
    }

    private String podsKey() {
        return redis.settings().key("rooms:pods");
    }
}
