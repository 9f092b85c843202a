package io.relaymesh.bench;

import io.relaymesh.bench.load.BackingServers;
import io.relaymesh.bench.load.GatewayPod;
import io.relaymesh.bench.support.ChildProcesses;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 16's numbers for the conversations dialect, on two pods (the built jar, config/config.yaml)
 * with their own redis-server and nats-server -js: message.new end to end at N users in M
 * conversations (published through the HTTP API, so through JetStream), typing fan-out, and
 * presence churn, each with the Redis commands it cost (INFO commandstats, the idle background
 * subtracted). Java WebSocket clients in this JVM. {@code bench/run.sh conversations [--opt=val]}.
 */
public final class ConversationsBench {
    private static final Pattern SENT = Pattern.compile("\"content\":\"(\\d+)\"");
    private static final Pattern TYPING_USER = Pattern.compile("\"type\":\"typing.start\".*\"user_id\":\"([^\"]+)\"");
    private static final Pattern CMDSTAT = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+)");

    private final Map<String, String> options;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String secret = "bench-jwt-secret-" + Long.toHexString(System.nanoTime()) + "-0123456789abcdef";
    private final ConcurrentLinkedQueue<Long> messageLatencies = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> typingLatencies = new ConcurrentLinkedQueue<>();
    private final Map<String, Long> typingSentAt = new ConcurrentHashMap<>();
    private final AtomicLong presenceUpdates = new AtomicLong();
    private BackingServers servers;

    private ConversationsBench(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("root", ".", "users", "1000", "conversations", "100",
                "rate", "100", "seconds", "20", "typing-rate", "200", "churn-rate", "1000", "churn-seconds", "10",
                "churn-workers", "64"));
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        new ConversationsBench(options).run();
    }

    private int opt(String name) {
        return Integer.parseInt(options.get(name));
    }

    private void run() throws Exception {
        Path root = Path.of(options.get("root")).toAbsolutePath();
        Path work = Files.createTempDirectory("conversations-bench");
        int users = opt("users");
        int conversations = opt("conversations");
        try (ChildProcesses children = new ChildProcesses()) {
            servers = BackingServers.start(children, work);
            GatewayPod.Setup setup = new GatewayPod.Setup(root.resolve("bootstrap/target/relaymesh.jar"),
                    root.resolve("config/config.yaml"), Path.of(System.getProperty("java.home")),
                    List.of(GatewayPod.imageJvmOptions(root).trim().split("\\s+")), servers, GatewayPod.Keys.random(), work,
                    Map.of("RELAYMESH_AUTH_JWT_SECRET", secret,
                            "RELAYMESH_DIALECTS_CONVERSATIONS_ALLOW_WITHOUT_CLAIM", "true",
                            "RELAYMESH_DIALECTS_CONVERSATIONS_REDIS_PUBSUB_ENABLED", "true",
                            // Long enough for the whole run: no pings (whose presence renewals would come in
                            // bursts into the phases' Redis counts), no idle closes, no lapses.
                            "RELAYMESH_DIALECTS_CONVERSATIONS_IDLE_TIMEOUT_SECONDS", "900",
                            "RELAYMESH_DIALECTS_CONVERSATIONS_PRESENCE_EXPIRY_SECONDS", "900",
                            "RELAYMESH_APP_LOG_LEVEL", "warn"));
            List<GatewayPod> pods = List.of(GatewayPod.start("conv-a", setup, children),
                    GatewayPod.start("conv-b", setup, children));
            System.out.printf("2 pods up; redis %s, nats %s; %d users in %d conversations%n", servers.redisAddress(),
                    servers.natsUrl(), users, conversations);

            List<WebSocket> sockets = connectAll(pods, users, conversations);
            double baseline = redisBaselinePerSecond(20);
            System.out.printf("idle background: %.1f Redis commands/s (route/lock refresh, heartbeats, presence sweep)%n", baseline);

            messages(pods, setup, conversations, baseline);
            pubSub(pods, conversations, baseline);
            typing(pods, sockets, baseline);
            churn(pods, conversations, baseline);
            sockets.forEach(WebSocket::abort);
            pods.forEach(GatewayPod::close);
        }
    }

    // ---- phases

    private void messages(List<GatewayPod> pods, GatewayPod.Setup setup, int conversations, double baseline)
            throws Exception {
        int rate = opt("rate");
        int seconds = opt("seconds");
        // Warm-up: one second at the rate, not counted.
        publish(pods, setup, conversations, rate, 1);
        Thread.sleep(1000);
        messageLatencies.clear();
        Map<String, Long> before = commandStats();
        double cpu = cpu(pods);
        long start = System.nanoTime();
        int sent = publish(pods, setup, conversations, rate, seconds);
        Thread.sleep(2000);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Long> delta = delta(before, commandStats());
        long redisOps = Math.round(sum(delta) - baseline * elapsed);
        List<Long> lat = sorted(messageLatencies);
        System.out.printf("%nmessage.new: %d published at %d/s via POST /api/v1/publish (JetStream), %d delivered "
                        + "(expected %d)%n  end to end p50 %.1f ms, p99 %.1f ms, max %.1f ms%n"
                        + "  Redis: %.2f commands per message beyond the background; calls per message: %s%n  pods' CPU: %.2f ms per message%n",
                sent, rate, lat.size(), (long) sent * opt("users") / conversations, ms(lat, 0.5), ms(lat, 0.99),
                ms(lat, 1.0), (double) redisOps / sent, perEvent(delta, sent), (cpu(pods) - cpu) * 1000 / sent);
    }

    /** The seed backend's path: PUBLISH ws:conv:{id} a whole message.new frame; one pod claims it, forwards it. */
    private void pubSub(List<GatewayPod> pods, int conversations, double baseline) throws Exception {
        int rate = opt("rate");
        int seconds = opt("seconds");
        messageLatencies.clear();
        Map<String, Long> before = commandStats();
        double cpu = cpu(pods);
        long start = System.nanoTime();
        int total = rate * seconds;
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", servers.redisPort())) {
            socket.setTcpNoDelay(true);
            java.io.OutputStream out = socket.getOutputStream();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            for (int i = 0; i < total; i++) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next += interval;
                String channel = "ws:conv:c-" + (i % conversations);
                String frame = "{\"type\":\"message.new\",\"payload\":{\"conversation_id\":\"c-" + (i % conversations)
                        + "\",\"message\":{\"id\":\"p-" + i + "\",\"content\":\"" + System.nanoTime() + "\"}}}";
                byte[] f = frame.getBytes(StandardCharsets.UTF_8);
                // One write, no Nagle: a PUBLISH split over writes waited for the delayed ACK (~40 ms).
                out.write(("*3\r\n$7\r\nPUBLISH\r\n$" + channel.length() + "\r\n" + channel + "\r\n$" + f.length + "\r\n"
                        + frame + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                in.readLine();
            }
        }
        Thread.sleep(2000);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Long> delta = delta(before, commandStats());
        long redisOps = Math.round(sum(delta) - baseline * elapsed - total);
        List<Long> lat = sorted(messageLatencies);
        System.out.printf("%nRedis Pub/Sub: %d frames PUBLISHed to ws:conv:* at %d/s, %d delivered (expected %d)%n"
                        + "  end to end p50 %.1f ms, p99 %.1f ms, max %.1f ms%n"
                        + "  Redis: %.2f commands per message beyond the background and the PUBLISH itself; calls per message: %s%n"
                        + "  pods' CPU: %.2f ms per message%n",
                total, rate, lat.size(), (long) total * opt("users") / conversations, ms(lat, 0.5), ms(lat, 0.99),
                ms(lat, 1.0), (double) redisOps / total, perEvent(delta, total), (cpu(pods) - cpu) * 1000 / total);
    }

    private int publish(List<GatewayPod> pods, GatewayPod.Setup setup, int conversations, int rate, int seconds)
            throws InterruptedException {
        int total = rate * seconds;
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            next += interval;
            String body = "{\"subject\":\"conversations.c-" + (i % conversations) + "\",\"payload\":{\"id\":\"m-" + i
                    + "\",\"sender_id\":\"bench\",\"content\":\"" + System.nanoTime() + "\",\"created_at\":\"2025-10-27T12:00:00Z\"}}";
            pending.add(http.sendAsync(HttpRequest.newBuilder(URI.create(httpBase(pods.get(i % 2)) + "/api/v1/publish"))
                    .header("X-API-Key", setup.keys().admin()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        long failed = pending.stream().map(CompletableFuture::join).filter(r -> r.statusCode() != 200).count();
        if (failed > 0) {
            System.out.println("  " + failed + " publishes failed");
        }
        return total;
    }

    private void typing(List<GatewayPod> pods, List<WebSocket> sockets, double baseline) throws Exception {
        int rate = opt("typing-rate");
        int seconds = opt("seconds");
        Map<String, Long> before = commandStats();
        double cpu = cpu(pods);
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        int total = rate * seconds;
        for (int i = 0; i < total; i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            next += interval;
            int user = (int) ((i * 7919L) % sockets.size());
            typingSentAt.put("u-" + user, System.nanoTime());
            sockets.get(user).sendText("{\"type\":\"typing\",\"payload\":{\"conversation_id\":\"c-"
                    + (user % opt("conversations")) + "\"}}", true);
        }
        Thread.sleep(2000);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Long> delta = delta(before, commandStats());
        long redisOps = Math.round(sum(delta) - baseline * elapsed);
        List<Long> lat = sorted(typingLatencies);
        System.out.printf("%ntyping: %d typing frames at %d/s, %d typing.start received (each goes to the %d other members)%n"
                        + "  typing.start p50 %.1f ms, p99 %.1f ms%n  Redis: %.2f commands per typing frame beyond the "
                        + "background; calls per typing frame: %s%n  pods' CPU: %.3f ms per typing frame (typing.start and the typing.stop 10 s later)%n",
                total, rate, lat.size(), opt("users") / opt("conversations") - 1, ms(lat, 0.5), ms(lat, 0.99),
                (double) redisOps / total, perEvent(delta, total), (cpu(pods) - cpu) * 1000 / total);
    }

    private void churn(List<GatewayPod> pods, int conversations, double baseline) throws Exception {
        int rate = opt("churn-rate");
        int seconds = opt("churn-seconds");
        Semaphore workers = new Semaphore(opt("churn-workers"));
        Map<String, Long> before = commandStats();
        long updatesBefore = presenceUpdates.get();
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        int total = rate * seconds;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < total; i++) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next += interval;
                workers.acquire();
                int n = i;
                threads.execute(() -> {
                    try {
                        WebSocket ws = connect(pods.get(n % 2), "churn-" + n, "c-" + (n % conversations), null);
                        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
                        done.incrementAndGet();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    } finally {
                        workers.release();
                    }
                });
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Thread.sleep(2000);
        Map<String, Long> delta = delta(before, commandStats());
        long redisOps = Math.round(sum(delta) - baseline * (elapsed + 2));
        long cycles = done.get();
        System.out.printf("%npresence churn: %d connect+auth+subscribe+close cycles in %.1f s = %.0f/s (asked %d/s, %d failed), "
                        + "%d presence changes, %d presence.update frames delivered%n"
                        + "  Redis: %.2f commands per cycle, %.2f per presence change, beyond the background; calls per cycle: %s%n",
                cycles, elapsed, cycles / elapsed, rate, failed.get(), cycles * 2, presenceUpdates.get() - updatesBefore,
                (double) redisOps / cycles, (double) redisOps / (cycles * 2), perEvent(delta, cycles));
    }

    // ---- clients

    private List<WebSocket> connectAll(List<GatewayPod> pods, int users, int conversations) throws Exception {
        List<WebSocket> sockets = new ArrayList<>(java.util.Collections.nCopies(users, null));
        Semaphore parallel = new Semaphore(32);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < users; i++) {
                parallel.acquire();
                int n = i;
                threads.execute(() -> {
                    try {
                        sockets.set(n, connect(pods.get(n % 2), "u-" + n, "c-" + (n % conversations), this::onFrame));
                    } catch (Exception e) {
                        throw new IllegalStateException("user " + n + " could not connect", e);
                    } finally {
                        parallel.release();
                    }
                });
            }
        }
        System.out.printf("%d users connected, authenticated and subscribed%n", users);
        return sockets;
    }

    /** Connects as {@code user}, authenticates, subscribes to {@code conversation}; returns once subscribed. */
    private WebSocket connect(GatewayPod pod, String user, String conversation,
                              java.util.function.Consumer<String> frames) throws Exception {
        CountDownLatch subscribed = new CountDownLatch(1);
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(pod.wsBase() + "/conversations/ws"),
                new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            String frame = partial.toString();
                            partial.setLength(0);
                            if (frame.startsWith("{\"type\":\"subscribed\"")) {
                                subscribed.countDown();
                            } else if (frames != null) {
                                frames.accept(frame);
                            }
                        }
                        socket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"auth\",\"payload\":{\"token\":\"" + jwt(user) + "\"}}", true).get(5, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"subscribe\",\"payload\":{\"conversation_ids\":[\"" + conversation + "\"]}}", true)
                .get(5, TimeUnit.SECONDS);
        if (!subscribed.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(user + " not subscribed within 10 s");
        }
        return ws;
    }

    private void onFrame(String frame) {
        long now = System.nanoTime();
        if (frame.startsWith("{\"type\":\"message.new\"")) {
            Matcher m = SENT.matcher(frame);
            if (m.find()) {
                messageLatencies.add(now - Long.parseLong(m.group(1)));
            }
        } else if (frame.startsWith("{\"type\":\"typing.start\"")) {
            Matcher m = TYPING_USER.matcher(frame);
            Long sent = m.find() ? typingSentAt.get(m.group(1)) : null;
            if (sent != null) {
                typingLatencies.add(now - sent);
            }
        } else if (frame.startsWith("{\"type\":\"presence.update\"")) {
            presenceUpdates.incrementAndGet();
        }
    }

    private String jwt(String user) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String head = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String body = b64.encodeToString(("{\"sub\":\"" + user + "\",\"exp\":" + (System.currentTimeMillis() / 1000 + 3600)
                + "}").getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return head + "." + body + "." + b64.encodeToString(mac.doFinal((head + "." + body).getBytes(StandardCharsets.US_ASCII)));
    }

    // ---- measurements

    private static String httpBase(GatewayPod pod) {
        return pod.wsBase().replace("ws://", "http://");
    }

    private static double cpu(List<GatewayPod> pods) {
        return pods.stream().mapToDouble(GatewayPod::cpuSeconds).sum();
    }

    private double redisBaselinePerSecond(int seconds) throws Exception {
        Map<String, Long> before = commandStats();
        Thread.sleep(seconds * 1000L);
        return sum(delta(before, commandStats())) / seconds;
    }

    /** Calls per command since Redis started, from INFO commandstats (the INFO itself excluded). */
    private Map<String, Long> commandStats() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", servers.redisPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n".getBytes(StandardCharsets.US_ASCII));
            java.io.InputStream in = socket.getInputStream();
            StringBuilder header = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                header.append((char) c);
            }
            int length = Integer.parseInt(header.substring(1).trim());
            byte[] body = in.readNBytes(length);
            Map<String, Long> stats = new HashMap<>();
            Matcher m = CMDSTAT.matcher(new String(body, StandardCharsets.US_ASCII));
            while (m.find()) {
                if (!m.group(1).equals("info")) {
                    stats.put(m.group(1), Long.parseLong(m.group(2)));
                }
            }
            return stats;
        }
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new java.util.TreeMap<>();
        after.forEach((command, calls) -> {
            long d = calls - before.getOrDefault(command, 0L);
            if (d > 0) {
                delta.put(command, d);
            }
        });
        return delta;
    }

    /** Each command's calls per event: what the event itself costs, beside the background's bursty refreshes. */
    private static String perEvent(Map<String, Long> delta, long events) {
        StringBuilder out = new StringBuilder();
        delta.forEach((command, calls) -> out.append(out.isEmpty() ? "" : ", ").append(command).append(' ')
                .append(String.format(java.util.Locale.ROOT, "%.2f", (double) calls / events)));
        return out.toString();
    }

    private static long sum(Map<String, Long> stats) {
        return stats.values().stream().mapToLong(Long::longValue).sum();
    }

    private static List<Long> sorted(ConcurrentLinkedQueue<Long> values) {
        List<Long> out = new ArrayList<>(values);
        out.sort(null);
        return out;
    }

    private static double ms(List<Long> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
