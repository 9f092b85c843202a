package io.relaymesh.adapters.redis;

import io.relaymesh.adapters.redis.RedisConnections.Retry;
import io.relaymesh.domain.port.PresenceRegistry;
import redis.clients.jedis.Response;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Presence in Redis. Keys: {@code presence:conns:{user}} (sorted set: member = connection, score =
 * expiry ms), {@code presence:due} (sorted set: member = user, score = the latest expiry of their
 * entries, so a sweep finds lapsed users without scanning), {@code presence:groups:{user}} and
 * {@code presence:members:{group}} (sets). Every change is one Lua script, atomic, so exactly one
 * caller sees a user go offline. The scripts touch keys they derive from their arguments, so they
 * need a single Redis (or one hash slot), not a sharded cluster. Thread-safe.
 *
 * <p>Redis operations: a connect, a close or a join is one round trip; the heartbeats of a tick
 * are one pipeline; a sweep is one script call per tick and pod.
 */
public final class RedisPresenceRegistry implements PresenceRegistry {
    private static final String PORT = "presence";

    /** KEYS: conns, due. ARGV: connection, expiry ms, now ms, user. Returns 1 when the user came online. */
    private static final RedisScript CONNECT = RedisScript.of("presence connect", """
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
            local before = redis.call('ZCARD', KEYS[1])
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
            redis.call('ZADD', KEYS[2], 'GT', ARGV[2], ARGV[4])
            if before == 0 then return 1 end
            return 0
            """);

    /**
     * KEYS: conns, due, groups. ARGV: connection, now ms, user, members prefix. Returns nil while
     * the user is still online (or the entry was already swept), else {"offline", group...}.
     */
    private static final RedisScript DISCONNECT = RedisScript.of("presence disconnect", """
            if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return false end
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
            if redis.call('ZCARD', KEYS[1]) > 0 then return false end
            redis.call('DEL', KEYS[1])
            redis.call('ZREM', KEYS[2], ARGV[3])
            local groups = redis.call('SMEMBERS', KEYS[3])
            for _, g in ipairs(groups) do redis.call('SREM', ARGV[4] .. g, ARGV[3]) end
            redis.call('DEL', KEYS[3])
            table.insert(groups, 1, 'offline')
            return groups
            """);

    /**
     * KEYS: due. ARGV: now ms, limit, conns prefix, groups prefix, members prefix. Returns
     * {user, {group...}} for every user whose entries all lapsed.
     */
    private static final RedisScript SWEEP = RedisScript.of("presence sweep", """
            local users = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
            local out = {}
            for _, u in ipairs(users) do
              local conns = ARGV[3] .. u
              redis.call('ZREMRANGEBYSCORE', conns, '-inf', ARGV[1])
              local top = redis.call('ZRANGE', conns, -1, -1, 'WITHSCORES')
              if #top == 0 then
                redis.call('ZREM', KEYS[1], u)
                local gk = ARGV[4] .. u
                local groups = redis.call('SMEMBERS', gk)
                for _, g in ipairs(groups) do redis.call('SREM', ARGV[5] .. g, u) end
                redis.call('DEL', gk)
                table.insert(out, {u, groups})
              else
                redis.call('ZADD', KEYS[1], top[2], u)
              end
            end
            return out
            """);

    private final RedisConnections redis;

    public RedisPresenceRegistry(RedisConnections redis) {
        this.redis = redis;
    }

    @Override
    public boolean connected(Entry entry, Instant now) {
        Object result = redis.eval(PORT, "connect " + entry.user(), Retry.ON_STALE_CONNECTION, CONNECT,
                List.of(conns(entry.user()), due()), args(entry, now));
        return Long.valueOf(1).equals(result);
    }

    @Override
    public Set<String> renewed(List<Entry> entries, Instant now) {
        List<RedisConnections.ScriptCall> calls = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            calls.add(new RedisConnections.ScriptCall(List.of(conns(entry.user()), due()), args(entry, now)));
        }
        List<Object> results = redis.evalAll(PORT, "renew " + entries.size() + " entries",
                Retry.ON_STALE_CONNECTION, CONNECT, calls);
        Set<String> cameOnline = new LinkedHashSet<>();
        for (int i = 0; i < results.size(); i++) {
            if (Long.valueOf(1).equals(results.get(i))) {
                cameOnline.add(entries.get(i).user());
            }
        }
        return cameOnline;
    }

    @Override
    public Set<String> disconnected(String user, String connection, Instant now) {
        Object result = redis.eval(PORT, "disconnect " + user, Retry.NEVER, DISCONNECT,
                List.of(conns(user), due(), groups(user)),
                List.of(connection, Long.toString(now.toEpochMilli()), user, redis.settings().key("presence:members:")));
        if (!(result instanceof List<?> list) || list.isEmpty()) {
            return null;
        }
        Set<String> groups = new LinkedHashSet<>();
        for (Object group : list.subList(1, list.size())) {
            groups.add(String.valueOf(group));
        }
        return groups;
    }

    @Override
    public boolean joined(String user, String group) {
        return redis.pipelined(PORT, "join " + group, Retry.ON_STALE_CONNECTION, pipeline -> {
            Response<Long> added = pipeline.sadd(groups(user), group);
            pipeline.sadd(members(group), user);
            return () -> added.get() == 1;
        });
    }

    @Override
    public List<Offline> sweep(Instant now, int limit) {
        Object result = redis.eval(PORT, "sweep", Retry.ON_STALE_CONNECTION, SWEEP, List.of(due()),
                List.of(Long.toString(now.toEpochMilli()), Integer.toString(limit),
                        redis.settings().key("presence:conns:"), redis.settings().key("presence:groups:"),
                        redis.settings().key("presence:members:")));
        List<Offline> offline = new ArrayList<>();
        if (result instanceof List<?> rows) {
            for (Object row : rows) {
                List<?> pair = (List<?>) row;
                Set<String> groups = new LinkedHashSet<>();
                for (Object group : (List<?>) pair.get(1)) {
                    groups.add(String.valueOf(group));
                }
                offline.add(new Offline(String.valueOf(pair.get(0)), groups));
            }
        }
        return offline;
    }

    @Override
    public Map<String, Boolean> online(Collection<String> users, Instant now) {
        List<String> ordered = List.copyOf(new LinkedHashSet<>(users));
        if (ordered.isEmpty()) {
            return Map.of();
        }
        String from = "(" + now.toEpochMilli();
        return redis.pipelined(PORT, "online " + ordered.size() + " users", Retry.ON_STALE_CONNECTION, pipeline -> {
            List<Response<Long>> counts = new ArrayList<>(ordered.size());
            for (String user : ordered) {
                counts.add(pipeline.zcount(conns(user), from, "+inf"));
            }
            return () -> {
                Map<String, Boolean> out = new LinkedHashMap<>();
                for (int i = 0; i < ordered.size(); i++) {
                    out.put(ordered.get(i), counts.get(i).get() > 0);
                }
                return out;
            };
        });
    }

    @Override
    public Set<String> onlineMembers(String group, Instant now) {
        Set<String> members = redis.call(PORT, "members " + group, Retry.ON_STALE_CONNECTION,
                client -> client.smembers(members(group)));
        Set<String> online = new LinkedHashSet<>();
        online(members, now).forEach((user, isOnline) -> {
            if (isOnline) {
                online.add(user);
            }
        });
        return online;
    }

    private static List<String> args(Entry entry, Instant now) {
        return List.of(entry.connection(), Long.toString(entry.expiresAt().toEpochMilli()),
                Long.toString(now.toEpochMilli()), entry.user());
    }

    private String conns(String user) {
        return redis.settings().key("presence:conns:" + user);
    }

    private String due() {
        return redis.settings().key("presence:due");
    }

    private String groups(String user) {
        return redis.settings().key("presence:groups:" + user);
    }

    private String members(String group) {
        return redis.settings().key("presence:members:" + group);
    }
}
