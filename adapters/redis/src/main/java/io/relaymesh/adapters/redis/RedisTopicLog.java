package io.relaymesh.adapters.redis;

import io.relaymesh.adapters.redis.RedisConnections.Retry;
import io.relaymesh.domain.topics.TopicLog;
import io.relaymesh.domain.topics.TopicMessage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Topics in Redis Streams, the seed's persistent tier: {@code topic:log:{topic}} is a stream of
 * the topic's messages (fields {@code i} id, {@code t} published, {@code x} expires, {@code p}
 * payload), trimmed on every append to {@code max_messages_per_topic} entries and to retention
 * ({@code MINID}), and expiring whole after retention without publishes. {@code topic:msg:{id}}
 * names a message's topic and entry (acks, duplicates); {@code topic:idem:{key}} an idempotency
 * key's message; {@code topic:consumer:{consumer}} (a hash: topic → start entry) where each
 * consumer started; {@code topic:acks:{consumer}:{topic}} the entries it acked. Appends, starts
 * and reads are one Lua script each: one round trip. A message's sequence is its entry id
 * {@code ms-n} as one number, {@code ms << 20 | n}. Thread-safe.
 */
public final class RedisTopicLog implements TopicLog {
    private static final String PORT = "topic_log";
    private static final int SEQ_BITS = 20;

    private static final RedisScript APPEND = RedisScript.of("topic append", """
            if ARGV[9] == '1' then
              local known = redis.call('GET', KEYS[3])
              if known then return {0, known} end
            end
            if redis.call('EXISTS', KEYS[2]) == 1 then return {0, ARGV[1]} end
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '=', ARGV[5], '*', 'i', ARGV[1], 't', ARGV[3], 'x', ARGV[4], 'p', ARGV[2])
            redis.call('XTRIM', KEYS[1], 'MINID', '~', ARGV[8])
            redis.call('PEXPIRE', KEYS[1], ARGV[6])
            redis.call('SET', KEYS[2], ARGV[7] .. ' ' .. id, 'PX', ARGV[6])
            if ARGV[9] == '1' then redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[6]) end
            return {1, id}
            """);

    private static final RedisScript START = RedisScript.of("topic consumer start", """
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
            local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
            local id = '0-0'
            if last[1] then id = last[1][1] end
            redis.call('HSET', KEYS[1], ARGV[1], id)
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return 1
            """);

    private static final RedisScript PENDING = RedisScript.of("topic pending", """
            local function after(a, b)
              local am, as = string.match(a, '(%d+)-(%d+)')
              local bm, bs = string.match(b, '(%d+)-(%d+)')
              am = tonumber(am) bm = tonumber(bm)
              if am ~= bm then return am > bm end
              return tonumber(as) > tonumber(bs)
            end
            local cursor = redis.call('HGET', KEYS[1], ARGV[1]) or '0-0'
            if after(ARGV[2], cursor) then cursor = ARGV[2] end
            local limit = tonumber(ARGV[3])
            local now = tonumber(ARGV[4])
            local retention = tonumber(ARGV[5])
            local out = {}
            for round = 1, 20 do
              local batch = redis.call('XRANGE', KEYS[2], '(' .. cursor, '+', 'COUNT', limit)
              if #batch == 0 then break end
              for _, e in ipairs(batch) do
                cursor = e[1]
                local f = e[2]
                local t = tonumber(f[4])
                if tonumber(f[6]) > now and t + retention > now and redis.call('SISMEMBER', KEYS[3], e[1]) == 0 then
                  out[#out + 1] = {e[1], f[2], f[4], f[6], f[8]}
                  if #out >= limit then return out end
                end
              end
            end
            return out
            """);

    private final RedisConnections redis;
    private final long retentionMillis;
    private final int maxPerTopic;

    public RedisTopicLog(RedisConnections redis, Duration retention, int maxPerTopic) {
        this.redis = redis;
        this.retentionMillis = retention.toMillis();
        this.maxPerTopic = maxPerTopic;
    }

    @Override
    public Appended append(NewMessage m) {
        boolean idempotent = m.idempotencyKey() != null;
        long minId = Math.max(0, System.currentTimeMillis() - retentionMillis);
        List<?> result = (List<?>) redis.eval(PORT, "append to " + m.topic(), Retry.NEVER, APPEND,
                List.of(logKey(m.topic()), msgKey(m.messageId()), idempotent ? idemKey(m.idempotencyKey())
                        : msgKey(m.messageId())),
                List.of(m.messageId(), m.payloadJson(), Long.toString(m.publishedAtMillis()),
                        Long.toString(m.expiresAtMillis()), Integer.toString(maxPerTopic),
                        Long.toString(retentionMillis), m.topic(), minId + "-0", idempotent ? "1" : "0"));
        String value = text(result.get(1));
        if (number(result.get(0)) == 1) {
            return new Appended.Stored(new TopicMessage(m.messageId(), m.topic(), seq(value), m.payloadJson(),
                    m.publishedAtMillis(), m.expiresAtMillis()));
        }
        return new Appended.Duplicate(original(value));
    }

    private TopicMessage original(String messageId) {
        String where = redis.call(PORT, "find " + messageId, Retry.ON_STALE_CONNECTION,
                client -> client.get(msgKey(messageId)));
        if (where == null) {
            return new TopicMessage(messageId, "", 0, "", 0, 0);
        }
        String topic = where.substring(0, where.indexOf(' '));
        String entry = where.substring(where.indexOf(' ') + 1);
        var entries = redis.call(PORT, "read " + messageId, Retry.ON_STALE_CONNECTION,
                client -> client.xrange(logKey(topic), new redis.clients.jedis.StreamEntryID(entry),
                        new redis.clients.jedis.StreamEntryID(entry), 1));
        if (entries.isEmpty()) {
            return new TopicMessage(messageId, topic, seq(entry), "", 0, 0);
        }
        var fields = entries.getFirst().getFields();
        return new TopicMessage(messageId, topic, seq(entry), fields.get("p"), Long.parseLong(fields.get("t")),
                Long.parseLong(fields.get("x")));
    }

    @Override
    public void startConsumer(String consumer, String topic) {
        redis.eval(PORT, "start " + consumer + " on " + topic, Retry.ON_STALE_CONNECTION, START,
                List.of(consumerKey(consumer), logKey(topic)), List.of(topic, Long.toString(retentionMillis)));
    }

    @Override
    public List<TopicMessage> pending(String consumer, String topic, long afterSeq, int limit, long nowMillis) {
        List<?> rows = (List<?>) redis.eval(PORT, "read " + topic + " for " + consumer, Retry.ON_STALE_CONNECTION,
                PENDING, List.of(consumerKey(consumer), logKey(topic), acksKey(consumer, topic)),
                List.of(topic, entryId(afterSeq), Integer.toString(limit), Long.toString(nowMillis),
                        Long.toString(retentionMillis)));
        List<TopicMessage> out = new ArrayList<>(rows.size());
        for (Object row : rows) {
            List<?> f = (List<?>) row;
            out.add(new TopicMessage(text(f.get(1)), topic, seq(text(f.get(0))), text(f.get(4)),
                    Long.parseLong(text(f.get(2))), Long.parseLong(text(f.get(3)))));
        }
        return out;
    }

    @Override
    public List<String> ack(String consumer, List<String> messageIds) {
        if (messageIds.isEmpty()) {
            return List.of();
        }
        String[] keys = messageIds.stream().map(this::msgKey).toArray(String[]::new);
        List<String> where = redis.call(PORT, "find " + messageIds.size() + " acked", Retry.ON_STALE_CONNECTION,
                client -> client.mget(keys));
        List<String> unknown = new ArrayList<>();
        List<String[]> known = new ArrayList<>();
        for (int i = 0; i < messageIds.size(); i++) {
            String w = where.get(i);
            if (w == null) {
                unknown.add(messageIds.get(i));
            } else {
                known.add(new String[]{w.substring(0, w.indexOf(' ')), w.substring(w.indexOf(' ') + 1)});
            }
        }
        if (!known.isEmpty()) {
            redis.pipelined(PORT, "ack " + known.size() + " for " + consumer, Retry.ON_STALE_CONNECTION, pipeline -> {
                for (String[] k : known) {
                    pipeline.sadd(acksKey(consumer, k[0]), k[1]);
                    pipeline.pexpire(acksKey(consumer, k[0]), retentionMillis);
                }
                return () -> null;
            });
        }
        return unknown;
    }

    /** Redis trims on every append (count and age) and expires idle topics itself. */
    @Override
    public void trim(long nowMillis) {
    }

    /** The connections are shared with the other Redis adapters; bootstrap closes them. */
    @Override
    public void close() {
    }

    static long seq(String entryId) {
        int dash = entryId.indexOf('-');
        long n = Long.parseLong(entryId.substring(dash + 1));
        if (n >= 1L << SEQ_BITS) {
            throw new IllegalStateException("stream entry " + entryId + " has more than 2^20 entries in one ms");
        }
        return Long.parseLong(entryId.substring(0, dash)) << SEQ_BITS | n;
    }

    static String entryId(long seq) {
        return (seq >>> SEQ_BITS) + "-" + (seq & ((1L << SEQ_BITS) - 1));
    }

    private String logKey(String topic) {
        return redis.settings().key("topic:log:" + topic);
    }

    private String msgKey(String messageId) {
        return redis.settings().key("topic:msg:" + messageId);
    }

    private String idemKey(String key) {
        return redis.settings().key("topic:idem:" + key);
    }

    private String consumerKey(String consumer) {
        return redis.settings().key("topic:consumer:" + consumer);
    }

    private String acksKey(String consumer, String topic) {
        return redis.settings().key("topic:acks:" + consumer + ":" + topic);
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                : String.valueOf(value);
    }

    private static long number(Object value) {
        return value instanceof Long l ? l : Long.parseLong(text(value));
    }
}
