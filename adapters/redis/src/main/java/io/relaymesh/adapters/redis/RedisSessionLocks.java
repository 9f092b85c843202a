package io.relaymesh.adapters.redis;

import io.relaymesh.adapters.redis.RedisConnections.Retry;
import io.relaymesh.adapters.redis.RedisConnections.ScriptCall;
import io.relaymesh.domain.model.Listing;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.SessionCatalog;
import io.relaymesh.domain.port.SessionLocks;
import redis.clients.jedis.params.SetParams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Session locks in Redis: the string {@code {prefix}session:...} holds {@link SessionOwner#encode()}
 * with a {@code PX} expiry, so a crashed pod's locks lapse by themselves. Acquire is one
 * {@code SET NX PX GET} (it takes a free lock or names the holder, atomically); take-over, refresh
 * and release are Lua compare-and-set scripts, so only the current owner changes a lock. Listing
 * (for operators) is a bounded SCAN, never KEYS. Thread-safe:
 * it keeps no state of its own; every check-and-set is atomic in Redis.
 */
public final class RedisSessionLocks implements SessionLocks, SessionCatalog {
    static final String PORT = "session_locks";
    /** Locks refreshed per script call; a pipeline carries all calls, and Redis serves others in between. */
    static final int REFRESH_BATCH = 1_000;

    private static final RedisScript TAKE_OVER = RedisScript.of("session lock take-over", """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
              return 1
            end
            return 0
            """);
    private static final RedisScript REFRESH = RedisScript.of("session lock refresh", """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 0
            """);
    private static final RedisScript RELEASE = RedisScript.of("session lock release", """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """);
    /** ARGV[1] is the TTL, ARGV[i + 1] the owner of KEYS[i]; returns the (1-based) indexes of locks not held. */
    private static final RedisScript REFRESH_ALL = RedisScript.of("session lock refresh-all", """
            local lost = {}
            for i, key in ipairs(KEYS) do
              if redis.call('GET', key) == ARGV[i + 1] then
                redis.call('PEXPIRE', key, ARGV[1])
              else
                lost[#lost + 1] = i
              end
            end
            return lost
            """);

    /** What every session key starts with (before the configured prefix is added). */
    private static final String SESSION_PREFIX = "session:";

    private final RedisConnections redis;

    public RedisSessionLocks(RedisConnections redis) {
        this.redis = Objects.requireNonNull(redis, "redis");
    }

    @Override
    public Acquisition acquire(SessionKey key, SessionOwner owner, Duration ttl) {
        Objects.requireNonNull(key, "session_key");
        Objects.requireNonNull(owner, "owner");
        long ttlMillis = Ttls.positiveMillis(ttl);
        // NX with GET: sets when free and answers nil, else answers the holder and changes nothing.
        String holder = redis.call(PORT, "acquire " + key, Retry.NEVER,
                client -> client.setGet(redisKey(key), owner.encode(), SetParams.setParams().nx().px(ttlMillis)));
        return holder == null ? new Acquisition.Acquired() : new Acquisition.HeldBy(decode(key, holder));
    }

    @Override
    public boolean takeOver(SessionKey key, SessionOwner expected, SessionOwner owner, Duration ttl) {
        Objects.requireNonNull(key, "session_key");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(owner, "owner");
        long ttlMillis = Ttls.positiveMillis(ttl);
        return isOne(redis.eval(PORT, "take over " + key, Retry.NEVER, TAKE_OVER, List.of(redisKey(key)),
                List.of(expected.encode(), owner.encode(), Long.toString(ttlMillis))));
    }

    @Override
    public boolean refresh(SessionKey key, SessionOwner owner, Duration ttl) {
        Objects.requireNonNull(key, "session_key");
        Objects.requireNonNull(owner, "owner");
        long ttlMillis = Ttls.positiveMillis(ttl);
        return isOne(redis.eval(PORT, "refresh " + key, Retry.ON_STALE_CONNECTION, REFRESH, List.of(redisKey(key)),
                List.of(owner.encode(), Long.toString(ttlMillis))));
    }

    /** One round trip whatever the number of locks: batches of {@value #REFRESH_BATCH} script calls in one pipeline. */
    @Override
    public Set<SessionKey> refreshAll(Map<SessionKey, SessionOwner> held, Duration ttl) {
        Objects.requireNonNull(held, "held");
        long ttlMillis = Ttls.positiveMillis(ttl);
        if (held.isEmpty()) {
            return Set.of();
        }
        List<SessionKey> keys = new ArrayList<>(held.keySet());
        List<ScriptCall> calls = new ArrayList<>();
        for (int start = 0; start < keys.size(); start += REFRESH_BATCH) {
            List<SessionKey> batch = keys.subList(start, Math.min(keys.size(), start + REFRESH_BATCH));
            List<String> redisKeys = new ArrayList<>(batch.size());
            List<String> args = new ArrayList<>(batch.size() + 1);
            args.add(Long.toString(ttlMillis));
            for (SessionKey key : batch) {
                redisKeys.add(redisKey(key));
                args.add(Objects.requireNonNull(held.get(key), "owner").encode());
            }
            calls.add(new ScriptCall(redisKeys, args));
        }
        List<Object> results = redis.evalAll(PORT, "refresh " + held.size() + " locks", Retry.ON_STALE_CONNECTION,
                REFRESH_ALL, calls);
        Set<SessionKey> lost = new HashSet<>();
        for (int batch = 0; batch < results.size(); batch++) {
            for (Object index : (List<?>) results.get(batch)) {
                lost.add(keys.get(batch * REFRESH_BATCH + (int) ((Long) index - 1)));
            }
        }
        return Set.copyOf(lost);
    }

    @Override
    public boolean release(SessionKey key, SessionOwner owner) {
        Objects.requireNonNull(key, "session_key");
        Objects.requireNonNull(owner, "owner");
        return isOne(redis.eval(PORT, "release " + key, Retry.NEVER, RELEASE, List.of(redisKey(key)), List.of(owner.encode())));
    }

    @Override
    public Optional<SessionOwner> owner(SessionKey key) {
        Objects.requireNonNull(key, "session_key");
        String value = redis.call(PORT, "owner " + key, Retry.ON_STALE_CONNECTION, client -> client.get(redisKey(key)));
        return value == null ? Optional.empty() : Optional.of(decode(key, value));
    }

    /**
     * A bounded {@link KeyScan} of the {@code session:} keys (strings), filtered here, then one
     * {@code MGET} for the owners of the page kept. A lock released between the two is left out.
     */
    @Override
    public Listing<HeldSession> list(Predicate<SessionKey> matching, int limit) {
        Objects.requireNonNull(matching, "matching");
        BoundedSelection<SessionKey> selection = new BoundedSelection<>(limit, Comparator.comparing(SessionKey::value));
        String prefix = redis.settings().key(SESSION_PREFIX);
        int prefixLength = redis.settings().keyPrefix().length();
        boolean complete = KeyScan.scan(redis, PORT, prefix, "string", batch -> {
            for (String redisKey : batch) {
                SessionKey key = new SessionKey(redisKey.substring(prefixLength));
                if (matching.test(key)) {
                    selection.offer(key);
                }
            }
        });
        List<SessionKey> kept = selection.kept();
        if (kept.isEmpty()) {
            return selection.listing(List.of(), 0, complete);
        }
        String[] redisKeys = kept.stream().map(this::redisKey).toArray(String[]::new);
        List<String> owners = redis.call(PORT, "owners of " + kept.size() + " sessions", Retry.ON_STALE_CONNECTION,
                client -> client.mget(redisKeys));
        List<HeldSession> held = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            if (owners.get(i) != null) {
                held.add(new HeldSession(kept.get(i), decode(kept.get(i), owners.get(i))));
            }
        }
        return selection.listing(held, kept.size() - held.size(), complete);
    }

    private String redisKey(SessionKey key) {
        return redis.settings().key(key.value());
    }

    private static SessionOwner decode(SessionKey key, String value) {
        try {
            return SessionOwner.decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("session lock " + key + " holds a value that is not an owner: " + value, e);
        }
    }

    private static boolean isOne(Object reply) {
        return reply instanceof Long number && number == 1L;
    }
}
