package io.relaymesh.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.relaymesh.bench.load.BackingServers;
import io.relaymesh.bench.load.GatewayPod;
import io.relaymesh.bench.support.Args;
import io.relaymesh.bench.support.ChildProcesses;
import io.relaymesh.bench.support.Machine;
import io.relaymesh.bench.support.Progress;
import io.relaymesh.bench.support.ResultFile;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What resuming costs (issue 18): two real pods (the built jar) on a redis-server and a
 * nats-server -js of their own. (1) One client misses {@code --missed} events and reconnects with
 * {@code since}: time to {@code ready} and to the last missed event, {@code --repeats} times (the
 * first on a cold pod, reported apart). (2) A deploy: {@code --clients} clients over
 * {@code --agents} agents each miss {@code --per-agent} events and all reconnect at once with
 * {@code since}: time until every client has all it missed, per-client p50/p99, and the JetStream
 * API calls and Redis commands the reconnects caused. (3) Order: {@code --order-events} live events
 * at {@code --order-rate} per second, consumed by both pods, to one socket: frames that arrive
 * after a later one, per 10,000. Every wait is bounded.
 *
 * <p>Usage: {@code ResumeBench --root=<repository> [--missed=10000] [--clients=1000] ...}
 */
public final class ResumeBench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ResumeBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Path root = Path.of(args.string("root", ".", "the repository (for the jar and config/config.yaml)"));
        int missed = args.intValue("missed", 10_000, 1, 1_000_000, "events one client misses");
        int repeats = args.intValue("repeats", 3, 1, 20, "times the one-client resume runs");
        int clients = args.intValue("clients", 1000, 1, 10_000, "clients reconnecting at once");
        int agents = args.intValue("agents", 100, 1, 10_000, "agents the clients are spread over");
        int perAgent = args.intValue("per-agent", 100, 1, 10_000, "events each agent's clients miss");
        int orderEvents = args.intValue("order-events", 10_000, 0, 1_000_000, "live events counted for order");
        int orderRate = args.intValue("order-rate", 1000, 1, 100_000, "events per second of the order phase");
        args.finish("ResumeBench");

        Progress progress = new Progress("resume");
        ObjectNode result = ResultFile.JSON.createObjectNode().put("benchmark", "ResumeBench");
        Machine.describe(result.putObject("machine"));
        result.putObject("options").put("missed", missed).put("repeats", repeats).put("clients", clients)
                .put("agents", agents).put("per_agent", perAgent);
        Path work = Files.createTempDirectory("relaymesh-resume-");
        try (ChildProcesses children = new ChildProcesses()) {
            BackingServers servers = BackingServers.start(children, work);
            GatewayPod.Setup setup = new GatewayPod.Setup(root.resolve("bootstrap/target/relaymesh.jar"),
                    root.resolve("config/config.yaml"), Path.of(System.getProperty("java.home")),
                    List.of("-XX:MaxRAMPercentage=75", "--enable-native-access=ALL-UNNAMED"), servers,
                    GatewayPod.Keys.random(), work,
                    java.util.Map.of("RELAYMESH_APP_RESUME_MAX_EVENTS", Integer.toString(Math.max(missed, perAgent))));
            try (GatewayPod a = GatewayPod.start("pod-a", setup, children);
                 GatewayPod b = GatewayPod.start("pod-b", setup, children);
                 Connection nats = Nats.connect(servers.natsUrl());
                 Jedis redis = new Jedis(servers.redisAddress().split(":")[0],
                         Integer.parseInt(servers.redisAddress().split(":")[1]))) {
                progress.line("pods up: %s, %s", a.wsBase(), b.wsBase());
                JetStream js = nats.jetStream();
                String key = setup.keys().general();

                ObjectNode one = result.putObject("one_client");
                String token = token(a, key, "rs1", "a1", "u1");
                for (int run = 1; run <= repeats; run++) {
                    // The pods' consumers catch up with the previous run's events (they go live to nobody).
                    Thread.sleep(3_000);
                    String since = lastPosition(b, token, key, "rs1", "a1", js);
                    long t0 = System.nanoTime();
                    publish(js, "websocket.rs1.a1.chats", missed, "r" + run);
                    double publishSeconds = (System.nanoTime() - t0) / 1e9;
                    Client client = Client.connect(b, "rs1", "a1", token, key, since, missed);
                    boolean done = client.done.await(120, TimeUnit.SECONDS);
                    double readyMs = (client.readyAt - client.startedAt) / 1e6;
                    double allMs = (client.lastAt - client.startedAt) / 1e6;
                    client.close();
                    progress.line("one client, run %d%s: %d missed events: ready after %.1f ms (recovered %s), the"
                                    + " %dth after %.1f ms (%.0f events/s), %d frames by the end, %d repeated;"
                                    + " publishing them took %.1f s", run, run == 1 ? " (cold pod)" : "", missed, readyMs,
                            client.recovered, missed, allMs, missed / (allMs / 1000), client.events.get(),
                            client.duplicates.get(), publishSeconds);
                    one.putObject("run" + run).put("cold", run == 1).put("complete", done)
                            .put("recovered", String.valueOf(client.recovered)).put("ready_ms", readyMs)
                            .put("all_ms", allMs).put("events", client.events.get())
                            .put("repeated", client.duplicates.get());
                }

                if (orderEvents > 0) {
                    // Live order across pods: both pods consume the stream; one socket on pod b.
                    Client watcher = Client.connect(b, "ro", "a1", token(a, key, "ro", "a1", "w"), key, null, orderEvents);
                    watcher.ready.await(30, TimeUnit.SECONDS);
                    long start = System.nanoTime();
                    for (int i = 0; i < orderEvents; i += 100) {
                        publish(js, "websocket.ro.a1.chats", Math.min(100, orderEvents - i), "o" + i);
                        long due = start + (long) ((i + 100) * 1e9 / orderRate);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                    boolean all = watcher.done.await(60, TimeUnit.SECONDS);
                    watcher.close();
                    progress.line("order: %d live events at %d/s over two pods to one socket: %d arrived, %d out of order"
                                    + " (%.1f per 10,000)", orderEvents, orderRate, watcher.events.get(),
                            watcher.outOfOrder.get(), watcher.outOfOrder.get() * 10_000.0 / Math.max(1, watcher.events.get()));
                    result.putObject("order").put("events", orderEvents).put("rate", orderRate).put("complete", all)
                            .put("arrived", watcher.events.get()).put("out_of_order", watcher.outOfOrder.get());
                }

                Thread.sleep(3_000);
                ObjectNode deploy = result.putObject("deploy");
                List<String> tokens = new ArrayList<>();
                List<String> sinces = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    tokens.add(token(a, key, "rd", "ag" + (i % agents), "u" + i));
                }
                for (int g = 0; g < agents; g++) {
                    sinces.add(lastPosition(a, tokens.get(g), key, "rd", "ag" + g, js));
                }
                for (int g = 0; g < agents; g++) {
                    publish(js, "websocket.rd.ag" + g + ".chats", perAgent, "d");
                }
                long apiBefore = nats.jetStreamManagement().getAccountStatistics().getApi().getTotalApiRequests();
                long redisBefore = commandsProcessed(redis);
                long t0 = System.nanoTime();
                List<Client> fleet = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    GatewayPod pod = i % 2 == 0 ? a : b;
                    fleet.add(Client.connect(pod, "rd", "ag" + (i % agents), tokens.get(i), key,
                            sinces.get(i % agents), perAgent));
                }
                int complete = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
                for (Client c : fleet) {
                    if (c.done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        complete++;
                    }
                }
                double wallMs = (System.nanoTime() - t0) / 1e6;
                long apiCalls = nats.jetStreamManagement().getAccountStatistics().getApi().getTotalApiRequests()
                        - apiBefore;
                long redisCommands = commandsProcessed(redis) - redisBefore;
                double[] perClient = fleet.stream().filter(c -> c.lastAt > 0)
                        .mapToDouble(c -> (c.lastAt - c.startedAt) / 1e6).sorted().toArray();
                long recovered = fleet.stream().filter(c -> Boolean.TRUE.equals(c.recovered)).count();
                fleet.forEach(Client::close);
                progress.line("deploy: %d clients (%d agents, %d missed each) reconnected at once with since: %d/%d"
                                + " complete, %d recovered, all done after %.0f ms; per client p50 %.0f ms, p99 %.0f ms;"
                                + " %d JetStream API calls (%.2f per client), %d Redis commands (%.1f per client)",
                        clients, agents, perAgent, complete, clients, recovered, wallMs, pct(perClient, 50),
                        pct(perClient, 99), apiCalls, apiCalls / (double) clients, redisCommands,
                        redisCommands / (double) clients);
                deploy.put("complete", complete).put("recovered", recovered).put("wall_ms", wallMs)
                        .put("p50_ms", pct(perClient, 50)).put("p99_ms", pct(perClient, 99))
                        .put("jetstream_api_calls", apiCalls).put("redis_commands", redisCommands);
                ((ObjectNode) result.get("machine")).put("load_average_at_end", Machine.loadAverage());
            }
        }
        Path json = ResultFile.forRun("resume").write(result);
        progress.line("results written to %s", json);
    }

    private static double pct(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static long commandsProcessed(Jedis redis) {
        for (String line : redis.info("stats").split("\r?\n")) {
            if (line.startsWith("total_commands_processed:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return -1;
    }

    private static void publish(JetStream js, String subject, int count, String prefix) throws Exception {
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String payload = "{\"event_id\":\"" + prefix + "-" + subject + "-" + i + "\",\"n\":" + i + "}";
            acks.add(js.publishAsync(subject, payload.getBytes(StandardCharsets.UTF_8)));
            if (acks.size() >= 500) {
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                acks.clear();
            }
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    /** Connects, has one event published, returns its position (what a client saw last), disconnects. */
    private static String lastPosition(GatewayPod pod, String token, String key, String company, String agent,
                                       JetStream js) throws Exception {
        Client client = Client.connect(pod, company, agent, token, key, null, Integer.MAX_VALUE);
        if (!client.ready.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no ready from " + pod.wsBase());
        }
        // The marker's own position: events of an earlier phase may still be arriving live.
        String marker = "mark-" + System.nanoTime();
        client.awaitId = marker + "-websocket." + company + "." + agent + ".chats-0";
        publish(js, "websocket." + company + "." + agent + ".chats", 1, marker);
        if (!client.marked.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the marker event did not arrive");
        }
        client.close();
        return client.markedPosition;
    }

    private static String token(GatewayPod pod, String key, String company, String agent, String user) throws Exception {
        String body = "{\"company_id\":\"" + company + "\",\"agent_id\":\"" + agent + "\",\"user_id\":\"" + user
                + "\",\"expires_in_seconds\":3600}";
        String base = pod.wsBase().replaceFirst("^ws", "http");
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/generate-token"))
                .header("X-API-Key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = ResultFile.JSON.readTree(response.body());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token: " + response.statusCode() + " " + response.body());
        }
        return json.path("token").asText();
    }

    /** One WebSocket client counting event frames until it has {@code expected}. */
    private static final class Client implements WebSocket.Listener {
        final long startedAt = System.nanoTime();
        final CountDownLatch ready = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicInteger events = new AtomicInteger();
        /** Event frames whose event_id came before on this socket. */
        final AtomicInteger duplicates = new AtomicInteger();
        /** An event_id to wait for, and the position it came with. */
        volatile String awaitId;
        volatile String markedPosition;
        final CountDownLatch marked = new CountDownLatch(1);
        private final java.util.Set<String> ids = new java.util.HashSet<>();
        /** Event frames whose position is below one seen before on this socket. */
        final AtomicInteger outOfOrder = new AtomicInteger();
        private long highest;
        final int expected;
        volatile long readyAt;
        volatile long lastAt;
        volatile Boolean recovered;
        volatile String lastPosition;
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        private Client(int expected) {
            this.expected = expected;
        }

        static Client connect(GatewayPod pod, String company, String agent, String token, String key, String since,
                              int expected) throws Exception {
            Client client = new Client(expected);
            // config/config.yaml sets no client key: the token alone is the credential (a server key on
            // a socket URL is refused there).
            String uri = pod.wsBase() + "/ws/" + company + "/" + agent + "?token=" + enc(token)
                    + (since == null ? "" : "&since=" + enc(since));
            client.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                    .buildAsync(URI.create(uri), client).get(60, TimeUnit.SECONDS);
            return client;
        }

        private static String enc(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                if (frame.startsWith("{\"type\":\"ready\"")) {
                    readyAt = System.nanoTime();
                    recovered = frame.contains("\"recovered\":true") ? Boolean.TRUE
                            : frame.contains("\"recovered\":false") ? Boolean.FALSE : null;
                    ready.countDown();
                } else if (frame.startsWith("{\"type\":\"event\"")) {
                    int id = frame.indexOf("\"event_id\":\"");
                    String eventId = id >= 0 ? frame.substring(id + 12, frame.indexOf('"', id + 12)) : null;
                    if (eventId != null && !ids.add(eventId)) {
                        duplicates.incrementAndGet();
                    }
                    boolean isMarker = eventId != null && eventId.equals(awaitId);
                    int at = frame.lastIndexOf("\"position\":\"");
                    if (at >= 0) {
                        lastPosition = frame.substring(at + 12, frame.indexOf('"', at + 12));
                        long seq = Long.parseLong(lastPosition.substring(lastPosition.lastIndexOf(':') + 1));
                        if (seq < highest) {
                            outOfOrder.incrementAndGet();
                        }
                        highest = Math.max(highest, seq);
                        if (isMarker) {
                            markedPosition = lastPosition;
                            marked.countDown();
                        }
                    }
                    if (events.incrementAndGet() == expected) {
                        lastAt = System.nanoTime();
                        done.countDown();
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS);
            socket.abort();
        }
    }
}
