package io.relaymesh.adapters.redis;

import io.relaymesh.adapters.redis.RedisConnections.Retry;
import io.relaymesh.domain.mailbox.MailboxMessage;
import io.relaymesh.domain.mailbox.MailboxStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mailboxes in Redis, shared by every pod: {@code mailbox:msg:{id}} holds the message (a string,
 * with Redis' own expiry at the message's expiry time as a backstop), {@code mailbox:box:{wayfarer}}
 * is the recipient's mailbox (a sorted set of ids, scored by arrival: oldest first) and
 * {@code mailbox:expiry} the expiry index the sweeper reads (a sorted set of {@code wayfarer\nid}
 * scored by expiry time). Storing, acking and sweeping are Lua scripts, so the three keys change
 * together; a message is durable as far as the Redis persistence configured (AOF) makes it.
 * Thread-safe.
 */
public final class RedisMailboxStore implements MailboxStore {
    private static final String PORT = "mailbox_store";
    private static final char SEP = '\n';

    private static final RedisScript STORE = RedisScript.of("mailbox store", """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PXAT', ARGV[2]) then
              redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
              redis.call('ZADD', KEYS[3], ARGV[2], ARGV[5])
              return 1
            end
            return 0
            """);

    /** Only a message in the acker's own mailbox is removed. */
    private static final RedisScript ACK = RedisScript.of("mailbox ack", """
            if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then
              return 0
            end
            local existed = redis.call('DEL', KEYS[2])
            redis.call('ZREM', KEYS[3], ARGV[2])
            return existed
            """);

    /** Counts a message once: the call whose ZREM took it out of its mailbox. */
    private static final RedisScript SWEEP = RedisScript.of("mailbox sweep", """
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
            local removed = 0
            for _, member in ipairs(due) do
              local cut = string.find(member, '\\n', 1, true)
              local to = string.sub(member, 1, cut - 1)
              local id = string.sub(member, cut + 1)
              redis.call('ZREM', KEYS[1], member)
              removed = removed + redis.call('ZREM', ARGV[3] .. 'mailbox:box:' .. to, id)
              redis.call('DEL', ARGV[3] .. 'mailbox:msg:' .. id)
            end
            return removed
            """);

    private final RedisConnections redis;
    private final AtomicLong arrivals = new AtomicLong();

    public RedisMailboxStore(RedisConnections redis) {
        this.redis = redis;
    }

    @Override
    public boolean store(MailboxMessage m) {
        // Arrival order: milliseconds, then a counter, exact in a double up to the year 2255.
        double score = System.currentTimeMillis() * 1000.0 + Math.floorMod(arrivals.getAndIncrement(), 1000);
        String body = m.to() + SEP + m.from() + SEP + m.atSeconds() + SEP + m.expiresAtMillis() + SEP + m.payloadB64();
        Object stored = redis.eval(PORT, "store " + m.id(), Retry.ON_STALE_CONNECTION, STORE,
                List.of(messageKey(m.id()), boxKey(m.to()), expiryKey()),
                List.of(body, Long.toString(m.expiresAtMillis()), Double.toString(score), m.id(), m.to() + SEP + m.id()));
        return isOne(stored);
    }

    @Override
    public List<MailboxMessage> pending(String recipient, int limit, long nowMillis) {
        List<MailboxMessage> out = new ArrayList<>();
        String box = boxKey(recipient);
        long offset = 0;
        while (out.size() < limit) {
            long from = offset;
            int page = Math.max(limit - out.size(), 16);
            List<String> ids = redis.call(PORT, "read the mailbox of " + recipient, Retry.ON_STALE_CONNECTION,
                    client -> client.zrange(box, from, from + page - 1));
            if (ids.isEmpty()) {
                break;
            }
            String[] keys = ids.stream().map(this::messageKey).toArray(String[]::new);
            List<String> bodies = redis.call(PORT, "read " + ids.size() + " messages", Retry.ON_STALE_CONNECTION,
                    client -> client.mget(keys));
            for (int i = 0; i < ids.size() && out.size() < limit; i++) {
                String body = bodies.get(i);
                if (body != null) {
                    MailboxMessage message = decode(ids.get(i), body);
                    if (!message.expiredAt(nowMillis)) {
                        out.add(message);
                    }
                }
            }
            if (ids.size() < page) {
                break;
            }
            offset += page;
        }
        return out;
    }

    @Override
    public Ack ack(String recipient, String id) {
        Object removed = redis.eval(PORT, "ack " + id, Retry.ON_STALE_CONNECTION, ACK,
                List.of(boxKey(recipient), messageKey(id), expiryKey()), List.of(id, recipient + SEP + id));
        return isOne(removed) ? Ack.REMOVED : Ack.NOT_FOUND;
    }

    @Override
    public int sweep(long nowMillis, int max) {
        Object removed = redis.eval(PORT, "sweep", Retry.ON_STALE_CONNECTION, SWEEP, List.of(expiryKey()),
                List.of(Long.toString(nowMillis), Integer.toString(max), redis.settings().key("")));
        return removed instanceof Long n ? n.intValue() : 0;
    }

    @Override
    public String problem() {
        return redis.pingProblem().map(p -> "Redis does not answer: " + p).orElse(null);
    }

    /** The connections belong to the pod, which closes them. */
    @Override
    public void close() {
    }

    private String messageKey(String id) {
        return redis.settings().key("mailbox:msg:" + id);
    }

    private String boxKey(String wayfarer) {
        return redis.settings().key("mailbox:box:" + wayfarer);
    }

    private String expiryKey() {
        return redis.settings().key("mailbox:expiry");
    }

    private static MailboxMessage decode(String id, String body) {
        String[] f = body.split(String.valueOf(SEP), 5);
        return new MailboxMessage(id, f[1], f[0], f[4], Long.parseLong(f[2]), Long.parseLong(f[3]));
    }

    private static boolean isOne(Object reply) {
        return reply instanceof Long n && n == 1L;
    }
}
