package io.relaymesh.adapters.redis;

import io.relaymesh.adapters.redis.RedisConnections.Retry;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A bounded {@code SCAN MATCH … TYPE …} over the keys of one kind, for the listings operators ask
 * for: never {@code KEYS}, which blocks Redis for the whole key space. Each SCAN call is one round
 * trip in which Redis examines about {@value #COUNT} keys; a scan stops after {@value #MAX_CALLS}
 * calls or {@link #MAX_TIME}, whichever comes first, and then says it did not complete. SCAN may
 * return a key more than once; callers deduplicate. Stateless and thread-safe.
 */
final class KeyScan {
    /** Keys Redis examines per SCAN call. */
    static final int COUNT = 1_000;
    /** SCAN calls per listing at most: about this many thousand keys examined. */
    static final int MAX_CALLS = 200;
    /** Longest a listing may keep scanning. */
    static final Duration MAX_TIME = Duration.ofSeconds(2);

    private KeyScan() {
    }

    /**
     * Hands each batch of keys starting with {@code prefix} (and of Redis {@code type}) to
     * {@code batch}, on the calling thread.
     *
     * @return true when the whole key space was scanned, false when a bound stopped the scan
     */
    static boolean scan(RedisConnections redis, String port, String prefix, String type, Consumer<List<String>> batch) {
        ScanParams params = new ScanParams().match(escape(prefix) + "*").count(COUNT);
        long deadline = System.nanoTime() + MAX_TIME.toNanos();
        String cursor = ScanParams.SCAN_POINTER_START;
        for (int call = 0; call < MAX_CALLS; call++) {
            String from = cursor;
            ScanResult<String> result = redis.call(port, "scan " + prefix + "*", Retry.ON_STALE_CONNECTION,
                    client -> client.scan(from, params, type));
            if (!result.getResult().isEmpty()) {
                batch.accept(result.getResult());
            }
            cursor = result.getCursor();
            if (result.isCompleteIteration()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
        }
        return false;
    }

    /** {@code text} with the glob characters of a MATCH pattern escaped, so a key prefix matches only itself. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 4);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
