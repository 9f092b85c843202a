package io.relaymesh.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.bench.support.ChildProcesses;
import io.relaymesh.bench.support.ProcStats;
import io.relaymesh.bench.support.ResultFile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The load clients of one scenario: P Node processes (bench/node/loadclient.js), each holding a
 * share of the clients and binding its sockets to its own loopback source addresses (127.0.0.x),
 * so that no process nears the open-file limit and no source address runs out of ephemeral ports.
 * Commands go to every process in parallel and their answers are merged. Thread-safe.
 */
public final class ClientFleet implements AutoCloseable {
    /** Source addresses per process; each has the whole ephemeral port range for one server port. */
    private static final int ADDRESSES_PER_PROCESS = 2;

    private final List<NodeProcess> processes;
    private final Map<String, AtomicLong> frames = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> up = new ConcurrentHashMap<>();
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    private ClientFleet(List<NodeProcess> processes) {
        this.processes = processes;
        for (NodeProcess p : processes) {
            frames.put(p.name(), new AtomicLong());
            up.put(p.name(), new AtomicLong());
            p.onMessage(message -> {
                if ("tick".equals(message.path("type").asText()) && "clients".equals(message.path("what").asText())) {
                    frames.get(p.name()).set(message.path("frames").asLong());
                    up.get(p.name()).set(message.path("up").asLong());
                }
            });
        }
    }

    public static ClientFleet start(String name, int count, Path nodeDir, Path stderr, ChildProcesses children) {
        List<NodeProcess> processes = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                processes.add(NodeProcess.start(name + "-clients-" + i, nodeDir, stderr, children,
                        List.of("node", "loadclient.js")));
            }
        } catch (RuntimeException e) {
            processes.forEach(NodeProcess::close);
            throw e;
        }
        return new ClientFleet(processes);
    }

    public int size() {
        return processes.size();
    }

    /** Frames received so far by every process (from their last tick). */
    public long framesSoFar() {
        return frames.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Clients up (from the processes' last ticks). */
    public long upSoFar() {
        return up.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public List<Long> pids() {
        return processes.stream().map(NodeProcess::pid).toList();
    }

    public long rssKb() {
        return processes.stream().mapToLong(p -> Math.max(0, ProcStats.rssKb(p.pid()))).sum();
    }

    public double cpuSeconds() {
        return processes.stream().mapToDouble(p -> Math.max(0, ProcStats.cpuSeconds(p.pid()))).sum();
    }

    /**
     * Opens the clients: entry i ({server index, agent, user}) goes to process i mod P. {@code base}
     * holds the rest of the connect command (kind, servers, keys, rate ...); the rate and the
     * concurrency are split between the processes.
     */
    public Connected connect(ObjectNode base, List<String[]> entries, int rate, int concurrency, Duration timeout) {
        List<ObjectNode> commands = new ArrayList<>();
        for (int p = 0; p < processes.size(); p++) {
            ObjectNode command = base.deepCopy();
            command.put("cmd", "connect");
            command.put("rate", Math.max(1, rate / processes.size()));
            command.put("concurrency", Math.max(1, concurrency / processes.size()));
            command.put("timeoutSec", timeout.toSeconds());
            ArrayNode addresses = command.putArray("localAddresses");
            for (int a = 0; a < ADDRESSES_PER_PROCESS; a++) {
                addresses.add("127.0.0." + (2 + p * ADDRESSES_PER_PROCESS + a));
            }
            command.putArray("clients");
            commands.add(command);
        }
        for (int i = 0; i < entries.size(); i++) {
            ArrayNode clients = (ArrayNode) commands.get(i % processes.size()).get("clients");
            String[] e = entries.get(i);
            clients.addArray().add(Integer.parseInt(e[0])).add(e[1]).add(e[2]);
        }
        List<JsonNode> answers = onEach(p -> processes.get(p).call(commands.get(p), timeout.plusSeconds(30)));
        Connected connected = new Connected();
        for (JsonNode a : answers) {
            connected.ok += a.path("ok").asInt();
            connected.failed += a.path("failed").asInt();
            connected.retries += a.path("retries").asInt();
            connected.seconds = Math.max(connected.seconds, a.path("seconds").asDouble());
            connected.connectLatency.add(a.path("connectUs"));
            a.path("errors").fields().forEachRemaining(f -> connected.errors.merge(f.getKey(), f.getValue().asInt(),
                    Integer::sum));
            a.path("retryReasons").fields().forEachRemaining(f -> connected.retryReasons.merge(f.getKey(),
                    f.getValue().asInt(), Integer::sum));
            a.path("byAgent").fields().forEachRemaining(f -> connected.byAgent.merge(f.getKey(), f.getValue().asInt(),
                    Integer::sum));
        }
        return connected;
    }

    /** What a connect achieved, over every process. */
    public static final class Connected {
        public int ok;
        public int failed;
        public int retries;
        public double seconds;
        public final Histogram connectLatency = new Histogram();
        public final Map<String, Integer> errors = new HashMap<>();
        public final Map<String, Integer> retryReasons = new HashMap<>();
        public final Map<String, Integer> byAgent = new HashMap<>();

        public void toJson(ObjectNode into) {
            into.put("connected", ok).put("failed", failed).put("retries", retries).put("seconds", seconds);
            connectLatency.summarize(into.putObject("connect_to_ready"));
            ObjectNode e = into.putObject("errors");
            errors.forEach(e::put);
            ObjectNode r = into.putObject("retry_reasons");
            retryReasons.forEach(r::put);
        }
    }

    /** The stats answers of every process (merge them with {@link PhaseStats}). */
    public List<JsonNode> stats() {
        return onEach(p -> processes.get(p).call(NodeProcess.command("stats"), Duration.ofSeconds(60)));
    }

    public void reset() {
        onEach(p -> processes.get(p).call(NodeProcess.command("reset"), Duration.ofSeconds(30)));
    }

    /** Runs the churn command on every process at once; returns their answers. */
    public List<JsonNode> churn(ObjectNode command, Duration timeout) {
        return onEach(p -> {
            ObjectNode c = command.deepCopy();
            c.put("cmd", "churn");
            // Churn opens a socket per cycle: a few source addresses of its own keep it clear of the port range.
            ArrayNode addresses = c.putArray("localAddresses");
            for (int a = 0; a < 4; a++) {
                addresses.add("127.0.0." + (200 + p * 4 + a));
            }
            return processes.get(p).call(c, timeout);
        });
    }

    /** Closes every client (close handshake, then terminate); returns how many closed cleanly and how many were cut. */
    public int[] closeClients() {
        int[] total = new int[2];
        for (JsonNode a : onEach(p -> processes.get(p).call(NodeProcess.command("close").put("timeoutSec", 15),
                Duration.ofSeconds(60)))) {
            total[0] += a.path("closed").asInt();
            total[1] += a.path("terminated").asInt();
        }
        return total;
    }

    private List<JsonNode> onEach(Function<Integer, JsonNode> call) {
        List<Future<JsonNode>> futures = new ArrayList<>();
        for (int p = 0; p < processes.size(); p++) {
            int index = p;
            futures.add(pool.submit(() -> call.apply(index)));
        }
        List<JsonNode> answers = new ArrayList<>();
        for (Future<JsonNode> f : futures) {
            try {
                answers.add(f.get());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return answers;
    }

    public static ObjectNode json() {
        return ResultFile.JSON.createObjectNode();
    }

    @Override
    public void close() {
        processes.forEach(NodeProcess::close);
        pool.shutdownNow();
    }
}
