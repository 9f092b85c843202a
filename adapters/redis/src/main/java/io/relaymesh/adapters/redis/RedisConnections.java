package io.relaymesh.adapters.redis;

import io.relaymesh.domain.error.PortUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The pooled Redis client every Redis adapter shares, with the timeouts of {@link RedisSettings},
 * plus the translation of Jedis failures into {@link PortUnavailableException} and a count of
 * round trips (one per command, pipeline or script call sent) for benchmarks. Thread-safe: the pool
 * hands each call its own connection; a call waits at most {@code poolMaxWait} for one and
 * {@code timeout} for each connect and reply.
 *
 * <p>Creating it opens no connection; connections are made on first use, so a pod can start while
 * Redis is down and become ready when it returns ({@link #ping()}).
 */
public final class RedisConnections implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnections.class);
    /** How often idle pooled connections are PINGed, so ones broken by a Redis restart are dropped unused. */
    private static final Duration IDLE_CHECK_INTERVAL = Duration.ofSeconds(2);

    /** Whether a failed call may be sent once more. */
    enum Retry {
        /** The outcome depends on whether the first attempt reached Redis (acquire, take-over, release). */
        NEVER,
        /**
         * Sending twice has the effect of sending once (reads, refreshes, registrations): resend once
         * when the connection turned out dead before a reply, as every idle pooled connection does
         * after Redis restarts. A refused connect or a timeout is not retried, so a Redis that is
         * down or slow still fails fast.
         */
        ON_STALE_CONNECTION
    }

    private final RedisSettings settings;
    private final HostAndPort hostAndPort;
    private final JedisClientConfig clientConfig;
    private final RedisClient client;
    private final LongAdder roundTrips = new LongAdder();
    private volatile boolean closed;

    public RedisConnections(RedisSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.hostAndPort = new HostAndPort(settings.host(), settings.port());
        int timeoutMillis = (int) settings.timeout().toMillis();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis)
                .clientName("relaymesh")
                // RESP2 on purpose: replies (and Lua conversions) look the same on every Redis version.
                .resp2();
        if (!settings.user().isEmpty()) {
            config.user(settings.user());
        }
        if (!settings.password().isEmpty()) {
            config.password(settings.password());
        }
        settings.tls().ifPresent(tls -> config.ssl(true)
                .sslSocketFactory(tls.getSocketFactory())
                .sslParameters(verifyingHostName(tls)));
        this.clientConfig = config.build();
        this.client = RedisClient.builder()
                .hostAndPort(hostAndPort)
                .clientConfig(clientConfig)
                .poolConfig(poolConfig(settings))
                .build();
    }

    /**
     * Jedis checks no host name on its own: "HTTPS" endpoint identification makes the TLS handshake
     * fail unless the certificate names the host (or IP) we dialled, so a certificate the CA issued
     * for some other server is refused.
     */
    private static SSLParameters verifyingHostName(SSLContext tls) {
        SSLParameters parameters = tls.getDefaultSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    private static ConnectionPoolConfig poolConfig(RedisSettings settings) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.poolMaxTotal());
        pool.setMaxIdle(settings.poolMaxTotal());
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(settings.poolMaxWait());
        // No PING on borrow: it would double the round trips of every call.
        pool.setTestOnBorrow(false);
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(IDLE_CHECK_INTERVAL);
        pool.setNumTestsPerEvictionRun(-1);
        pool.setMinEvictableIdleDuration(Duration.ofMinutes(1));
        pool.setJmxEnabled(false);
        return pool;
    }

    public RedisSettings settings() {
        return settings;
    }

    /** Whether Redis answers PING now (for {@code /ready}); never throws, waits at most about the timeout. */
    public boolean ping() {
        return pingProblem().isEmpty();
    }

    /**
     * Why Redis does not answer PING now, in a few words fit for {@code /ready} (a refused login, a
     * certificate that does not verify, an unreachable port); empty when it answers. Never throws.
     */
    public Optional<String> pingProblem() {
        try {
            String reply = call("redis", "PING", Retry.ON_STALE_CONNECTION, UnifiedJedis::ping);
            return "PONG".equals(reply) ? Optional.empty() : Optional.of("unexpected reply to PING: " + reply);
        } catch (PortUnavailableException e) {
            LOG.debug("redis ping failed: {}", e.getMessage());
            return Optional.of(reason(e.getCause() != null ? e.getCause() : e));
        }
    }

    /** Round trips sent so far: each command, pipeline or script call counts once, a retry again. */
    public long roundTrips() {
        return roundTrips.sum();
    }

    /** Closes the pool; calls made afterwards fail with {@link PortUnavailableException}. Idempotent. */
    @Override
    public void close() {
        closed = true;
        client.close();
    }

    /** One command (one round trip). */
    <T> T call(String port, String operation, Retry retry, Function<UnifiedJedis, T> command) {
        return withRetry(port, operation, retry, () -> command.apply(client));
    }

    /**
     * Many commands in one pipeline (one round trip). {@code commands} queues the commands and
     * returns how to read the result once the replies are in.
     */
    <T> T pipelined(String port, String operation, Retry retry, Function<Pipeline, Supplier<T>> commands) {
        return withRetry(port, operation, retry, () -> {
            try (Pipeline pipeline = client.pipelined()) {
                Supplier<T> result = commands.apply(pipeline);
                pipeline.sync();
                return result.get();
            }
        });
    }

    /** One script call: EVALSHA, and EVAL only when Redis answers NOSCRIPT (a second round trip). */
    Object eval(String port, String operation, Retry retry, RedisScript script, List<String> keys, List<String> args) {
        return withRetry(port, operation, retry, () -> {
            try {
                return client.evalsha(script.sha1(), keys, args);
            } catch (JedisDataException e) {
                if (!isNoScript(e)) {
                    throw e;
                }
                LOG.debug("redis script {} not cached (NOSCRIPT); sending its body", script.name());
                roundTrips.increment();
                return client.eval(script.body(), keys, args);
            }
        });
    }

    /**
     * Many calls of one script in one pipeline (one round trip); the calls Redis answers NOSCRIPT
     * are sent again with their body in a second pipeline.
     *
     * @param calls each call's keys and arguments
     * @return each call's result, in order
     */
    List<Object> evalAll(String port, String operation, Retry retry, RedisScript script, List<ScriptCall> calls) {
        if (calls.isEmpty()) {
            return List.of();
        }
        return withRetry(port, operation, retry, () -> {
            List<Object> results = runPipeline(calls, call -> pipeline -> pipeline.evalsha(script.sha1(), call.keys(), call.args()));
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i) instanceof JedisDataException error) {
                    if (!isNoScript(error)) {
                        throw error;
                    }
                    missing.add(i);
                }
            }
            if (!missing.isEmpty()) {
                LOG.debug("redis script {} not cached (NOSCRIPT); sending its body in {} calls", script.name(), missing.size());
                roundTrips.increment();
                List<ScriptCall> retried = missing.stream().map(calls::get).toList();
                List<Object> again = runPipeline(retried, call -> pipeline -> pipeline.eval(script.body(), call.keys(), call.args()));
                for (int i = 0; i < missing.size(); i++) {
                    if (again.get(i) instanceof JedisDataException error) {
                        throw error;
                    }
                    results.set(missing.get(i), again.get(i));
                }
            }
            return results;
        });
    }

    /** The keys and arguments of one script call. */
    record ScriptCall(List<String> keys, List<String> args) {
    }

    /**
     * A connection of its own, outside the pool, for a blocking subscriber: a SUBSCRIBEd connection
     * cannot run other commands and would hold a pool slot for good.
     *
     * @throws JedisException when Redis cannot be reached; the subscriber loop handles it
     */
    Connection openSubscriberConnection() {
        if (closed) {
            throw new JedisConnectionException("redis connections were closed");
        }
        return new Connection(hostAndPort, clientConfig);
    }

    /** One round trip: counts it, retries it per {@code retry}, translates failures. */
    private <T> T withRetry(String port, String operation, Retry retry, Supplier<T> attempt) {
        if (closed) {
            throw new PortUnavailableException(port, operation + " on redis " + settings.address()
                    + " failed: the connections were closed", null);
        }
        try {
            roundTrips.increment();
            return attempt.get();
        } catch (JedisConnectionException first) {
            dropIdleConnections();
            if (retry != Retry.ON_STALE_CONNECTION || !diedBeforeReply(first)) {
                throw translate(port, operation, first);
            }
            LOG.debug("redis connection was dead ({}); sending {} once more on a new one", first.getMessage(), operation);
            try {
                roundTrips.increment();
                return attempt.get();
            } catch (JedisException second) {
                second.addSuppressed(first);
                throw translate(port, operation, second);
            }
        } catch (JedisException e) {
            throw translate(port, operation, e);
        }
    }

    private <C> List<Object> runPipeline(List<C> calls, Function<C, Function<Pipeline, Response<Object>>> queue) {
        try (Pipeline pipeline = client.pipelined()) {
            List<Response<Object>> responses = new ArrayList<>(calls.size());
            for (C call : calls) {
                responses.add(queue.apply(call).apply(pipeline));
            }
            pipeline.sync();
            List<Object> results = new ArrayList<>(responses.size());
            for (Response<Object> response : responses) {
                try {
                    results.add(response.get());
                } catch (JedisDataException error) {
                    results.add(error);
                }
            }
            return results;
        }
    }

    private PortUnavailableException translate(String port, String operation, JedisException e) {
        String problem = e instanceof JedisDataException ? "redis answered an error" : "redis unreachable or too slow";
        return new PortUnavailableException(port, operation + " on redis " + settings.address() + " failed ("
                + problem + "): " + reason(e), e);
    }

    /**
     * The cause an operator can act on: Jedis wraps a failed TLS handshake in "Failed to create
     * socket", which names neither the certificate nor the host name problem underneath.
     */
    static String reason(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (t instanceof SSLException tls) {
                return "TLS handshake failed: " + tls.getMessage();
            }
            if (t instanceof JedisDataException refused) {
                // WRONGPASS, NOAUTH, NOPERM: Redis never echoes the password back.
                return refused.getMessage();
            }
        }
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && depth < 8; depth++) {
            root = root.getCause();
        }
        String message = String.valueOf(failure.getMessage());
        return root == failure || root.getMessage() == null ? message : message + " (" + root.getMessage() + ")";
    }

    /** After one connection broke the idle ones are most likely broken too (Redis restarted). */
    private void dropIdleConnections() {
        try {
            client.getPool().clear();
        } catch (RuntimeException e) {
            LOG.debug("could not clear the redis pool: {}", e.toString());
        }
    }

    static boolean isNoScript(JedisDataException e) {
        return e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT");
    }

    /**
     * Whether the connection died under the command (EOF, reset), as opposed to never being made
     * (refused, unknown host) or a reply being late (timeout): only the first is worth a resend.
     */
    private static boolean diedBeforeReply(Throwable failure) {
        return !containsAny(failure, 0);
    }

    private static boolean containsAny(Throwable t, int depth) {
        if (t == null || depth > 8) {
            return false;
        }
        if (t instanceof ConnectException || t instanceof SocketTimeoutException || t instanceof UnknownHostException
                || t instanceof NoRouteToHostException) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (containsAny(suppressed, depth + 1)) {
                return true;
            }
        }
        return containsAny(t.getCause(), depth + 1);
    }

    @Override
    public String toString() {
        return "RedisConnections[" + settings + "]";
    }
}
