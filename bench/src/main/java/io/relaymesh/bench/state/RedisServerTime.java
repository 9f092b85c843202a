package io.relaymesh.bench.state;

import redis.clients.jedis.Jedis;

import java.util.HashMap;
import java.util.Map;

/**
 * Time Redis itself spent running scripts ({@code INFO commandstats}: calls and microseconds per
 * command), read on a connection of its own so the pod's round-trip count is untouched. The
 * difference of two readings says how much of a tick was Redis executing and how much was the
 * client and the wire. Not thread-safe; one per run.
 */
final class RedisServerTime implements AutoCloseable {
    private final Jedis jedis;

    RedisServerTime(String host, int port) {
        this.jedis = new Jedis(host, port);
    }

    /**
     * Microseconds Redis has spent in script calls (EVALSHA, EVAL) so far: a refresh tick is made of
     * script calls only. Commands a script runs are also counted under their own names, so summing
     * every command would count them twice.
     */
    long scriptMicros() {
        Map<String, long[]> stats = read();
        long total = 0;
        for (String command : new String[]{"evalsha", "eval"}) {
            long[] stat = stats.get(command);
            if (stat != null) {
                total += stat[1];
            }
        }
        return total;
    }

    /** Command name → {calls, usec}. */
    Map<String, long[]> read() {
        Map<String, long[]> stats = new HashMap<>();
        for (String line : jedis.info("commandstats").split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            String name = line.substring("cmdstat_".length(), line.indexOf(':'));
            long calls = 0;
            long usec = 0;
            for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
                String[] kv = field.split("=");
                if (kv[0].equals("calls")) {
                    calls = Long.parseLong(kv[1]);
                } else if (kv[0].equals("usec")) {
                    usec = Long.parseLong(kv[1]);
                }
            }
            stats.put(name, new long[]{calls, usec});
        }
        return stats;
    }

    @Override
    public void close() {
        jedis.close();
    }
}
