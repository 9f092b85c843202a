package io.relaymesh.bench.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.application.auth.AuthResult;
import io.relaymesh.application.connection.ClientMessage;
import io.relaymesh.application.connection.Gateway;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.bench.support.Deadline;
import io.relaymesh.bench.support.Progress;
import io.relaymesh.bench.support.Table;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Round trips per connect, select_chat and disconnect. One cycle, on its own agent so that the
 * first connect is also the first on its route key:
 * <ol>
 *   <li>connect user u with a new token (token cache miss, new route key);</li>
 *   <li>select_chat twice (first chat, then a switch);</li>
 *   <li>disconnect u (last on the agent and chat keys);</li>
 *   <li>connect u again with the same token (cache hit, new route key again);</li>
 *   <li>connect user v, whose token is already cached, on the same agent (hit, key already held here);</li>
 *   <li>disconnect v (u remains on the key), then u (last).</li>
 * </ol>
 * Single-threaded, so a delta of the pod's round-trip counter belongs to the operation it brackets
 * (nothing else of this pod talks to Redis meanwhile: the kill-switch subscriber is not counted).
 * The first cycles are a warm-up (JIT, Redis script cache); the very first is kept as "cold".
 */
public final class ConnectCosts {
    public static final String CONNECT_MISS = "connect: token cache miss, first on its route key";
    public static final String CONNECT_HIT = "connect: token cache hit, first on its route key";
    public static final String CONNECT_HIT_SHARED = "connect: token cache hit, route key already held here";
    public static final String SELECT_FIRST = "select_chat: first chat";
    public static final String SELECT_SWITCH = "select_chat: switch to another chat";
    public static final String DISCONNECT_WITH_CHAT = "disconnect: last on its agent and chat keys";
    public static final String DISCONNECT_LAST = "disconnect: last on its route key, no chat";
    public static final String DISCONNECT_SHARED = "disconnect: others remain on its route key";

    private final RedisStack stack;
    private final Map<String, OperationCost> costs = new LinkedHashMap<>();
    private final Map<String, Long> cold = new LinkedHashMap<>();
    private int cycles;
    private boolean measuring;
    private boolean first;

    private ConnectCosts(RedisStack stack) {
        this.stack = stack;
        for (String label : new String[]{CONNECT_MISS, CONNECT_HIT, CONNECT_HIT_SHARED, SELECT_FIRST, SELECT_SWITCH,
                DISCONNECT_WITH_CHAT, DISCONNECT_LAST, DISCONNECT_SHARED}) {
            costs.put(label, new OperationCost(label));
        }
    }

    public static ConnectCosts measure(RedisStack stack, int warmup, int cycles, Deadline deadline, Progress progress) {
        ConnectCosts run = new ConnectCosts(stack);
        for (int i = 0; i < warmup + cycles && !deadline.passed(); i++) {
            run.first = i == 0;
            run.measuring = i >= warmup;
            run.cycle(i);
            if (run.measuring) {
                run.cycles++;
            }
            if ((i + 1) % 250 == 0) {
                progress.line("connect cycles: %d of %d (the first %d are warm-up)", i + 1, warmup + cycles, warmup);
            }
        }
        if (run.cycles < cycles) {
            progress.line("time limit reached: %d of %d connect cycles measured", run.cycles, cycles);
        }
        return run;
    }

    private void cycle(int i) {
        String agent = "a" + i;
        String tokenU = stack.userToken("bench", agent, "u" + i);
        String tokenV = stack.userToken("bench", agent, "v" + i);
        Gateway gateway = stack.gateway();

        LocalSession u = connect(CONNECT_MISS, agent, tokenU, "u" + i + "-1");
        expectOk(time(SELECT_FIRST, () -> gateway.handle(u, new ClientMessage.SelectChat("chat-1"))));
        expectOk(time(SELECT_SWITCH, () -> gateway.handle(u, new ClientMessage.SelectChat("chat-2"))));
        time(DISCONNECT_WITH_CHAT, () -> close(u));

        LocalSession again = connect(CONNECT_HIT, agent, tokenU, "u" + i + "-2");
        // Puts v's claims in the token cache (not measured), so that v's connect below is a hit.
        if (!(stack.authenticate("bench", agent, tokenV) instanceof AuthResult.Authenticated)) {
            throw new IllegalStateException("token of v" + i + " refused");
        }
        stack.runCacheWrites();
        LocalSession v = connect(CONNECT_HIT_SHARED, agent, tokenV, "v" + i);
        time(DISCONNECT_SHARED, () -> close(v));
        time(DISCONNECT_LAST, () -> close(again));
    }

    private LocalSession connect(String label, String agent, String token, String connectionId) {
        long start = System.nanoTime();
        long before = stack.roundTrips();
        AuthResult auth = stack.authenticate("bench", agent, token);
        long afterAuth = stack.roundTrips();
        if (!(auth instanceof AuthResult.Authenticated authenticated)) {
            throw new IllegalStateException("bench token refused: " + auth);
        }
        Gateway.Opening opening = stack.gateway().open(authenticated.principal(), new NoopConnection(connectionId));
        long after = stack.roundTrips();
        long elapsed = System.nanoTime() - start;
        stack.runCacheWrites();
        long background = stack.roundTrips() - after;
        if (!(opening instanceof Gateway.Opening.Opened opened)) {
            throw new IllegalStateException("open refused: " + opening);
        }
        if (measuring) {
            costs.get(label).addConnect(afterAuth - before, after - afterAuth, background, elapsed);
        }
        if (first) {
            cold.put(label, after - before);
        }
        return opened.session();
    }

    private <T> T time(String label, Supplier<T> operation) {
        long start = System.nanoTime();
        long before = stack.roundTrips();
        T result = operation.get();
        long trips = stack.roundTrips() - before;
        long elapsed = System.nanoTime() - start;
        if (measuring) {
            costs.get(label).add(trips, elapsed);
        }
        if (first) {
            cold.put(label, trips);
        }
        return result;
    }

    private Void close(LocalSession session) {
        stack.gateway().closed(session);
        return null;
    }

    private static void expectOk(Gateway.Handled handled) {
        if (!(handled instanceof Gateway.Handled.Ok)) {
            throw new IllegalStateException("select_chat failed: " + handled);
        }
    }

    public int cycles() {
        return cycles;
    }

    /** Mean round trips of {@code label}. */
    public double meanRoundTrips(String label) {
        return costs.get(label).roundTrips.mean();
    }

    public long maxRoundTrips(String label) {
        return costs.get(label).roundTrips.max();
    }

    /** Mean round trips {@code label} left for later (token cache writes off the connect path). */
    public double meanBackgroundRoundTrips(String label) {
        return costs.get(label).backgroundRoundTrips.mean();
    }

    public ObjectNode toJson(ObjectNode node) {
        node.put("cycles", cycles);
        ObjectNode operations = node.putObject("operations");
        costs.forEach((label, cost) -> {
            if (!cost.roundTrips.isEmpty()) {
                cost.toJson(operations.putObject(label));
            }
        });
        ObjectNode coldNode = node.putObject("first_cycle_on_fresh_redis_round_trips");
        cold.forEach(coldNode::put);
        return node;
    }

    public String table() {
        Table table = new Table("operation", "round trips (mean)", "min-max", "of which authenticate",
                "of which open", "+ off the connect path", "p50 µs", "p99 µs", "n");
        costs.forEach((label, cost) -> {
            if (cost.roundTrips.isEmpty()) {
                return;
            }
            table.row(label, fmt(cost.roundTrips.mean()), cost.roundTrips.min() + "-" + cost.roundTrips.max(),
                    cost.isConnect() ? fmt(cost.authRoundTrips.mean()) : "-",
                    cost.isConnect() ? fmt(cost.openRoundTrips.mean()) : "-",
                    cost.isConnect() ? fmt(cost.backgroundRoundTrips.mean()) : "-",
                    oneDecimal(cost.nanos.percentile(50) / 1_000.0), oneDecimal(cost.nanos.percentile(99) / 1_000.0),
                    cost.roundTrips.count());
        });
        return table.render();
    }

    /** The first cycle's round trips (fresh Redis: no script cached yet), one line per operation. */
    public Map<String, Long> cold() {
        return cold;
    }

    static String oneDecimal(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String fmt(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }
}
