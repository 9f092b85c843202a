package io.relaymesh.bench.topics;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 15's numbers against running gateways (started by {@code bench/topics.sh}); JDK only, so it
 * also runs as a single source file: {@code java bench/src/main/java/io/relaymesh/bench/topics/TopicsBench.java}.
 *
 * <ul>
 *   <li>{@code load}: {@code --clients} WebSocket subscribers of one topic on {@code --ws}, a producer
 *   POSTing {@code --rate} messages per second to {@code --http} for {@code --seconds} (after a warm-up);
 *   prints p50/p99/max of publish-to-frame latency over every frame of every client. With
 *   {@code --steps=a,b,c} it runs each rate in turn and stops at the first with p99 over
 *   {@code --p99-limit-ms} or a shortfall (fewer frames than published × clients, or 429s).</li>
 *   <li>{@code poll}: the cost of a long-poll round trip with a message pending (answered at once), and
 *   of one waiting for a publish (publish start to answer).</li>
 * </ul>
 * Every loop is bounded in count and time.
 */
public final class TopicsBench {
    private static final Pattern SENT = Pattern.compile("\"t\":(\\d+)");

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (String a : args) {
            if (a.startsWith("--") && a.contains("=")) {
                o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else if (!a.startsWith("--")) {
                o.put("mode", a);
            }
        }
        String mode = o.getOrDefault("mode", "load");
        String http = o.getOrDefault("http", "http://127.0.0.1:8080");
        String ws = o.getOrDefault("ws", http.replace("http", "ws"));
        String key = required(o, "key");
        String secret = required(o, "secret");
        switch (mode) {
            case "load" -> {
                int clients = Integer.parseInt(o.getOrDefault("clients", "20"));
                int seconds = Integer.parseInt(o.getOrDefault("seconds", "20"));
                int warmup = Integer.parseInt(o.getOrDefault("warmup", "5"));
                double limit = Double.parseDouble(o.getOrDefault("p99-limit-ms", "50"));
                List<Integer> rates = Arrays.stream(o.getOrDefault("steps", o.getOrDefault("rate", "814")).split(","))
                        .map(String::strip).map(Integer::parseInt).toList();
                for (int rate : rates) {
                    Result r = load(http, ws, key, secret, clients, rate, warmup, seconds, "bench-" + rate + "-"
                            + System.nanoTime());
                    System.out.println(r);
                    if (r.p99() > limit || r.shortfall()) {
                        System.out.println("stop: " + (r.shortfall() ? "shortfall" : "p99 over " + limit + " ms"));
                        break;
                    }
                }
            }
            case "poll" -> poll(http, key, secret, Integer.parseInt(o.getOrDefault("rounds", "300")));
            default -> throw new IllegalArgumentException("mode is load or poll");
        }
        System.exit(0);
    }

    private static String required(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + "= is required");
        }
        return v;
    }

    record Result(int rate, int clients, long published, long rejected, long expected, long received, double p50,
                  double p99, double max, double achievedRate) {
        boolean shortfall() {
            return rejected > 0 || received < expected * 0.99 || achievedRate < rate * 0.9;
        }

        @Override
        public String toString() {
            return String.format("rate=%d msg/s (achieved %.0f) clients=%d published=%d rejected=%d frames=%d/%d "
                    + "p50=%.2f ms p99=%.2f ms max=%.2f ms", rate, achievedRate, clients, published, rejected, received,
                    expected, p50, p99, max);
        }
    }

    static Result load(String http, String ws, String key, String secret, int clients, int rate, int warmup,
                       int seconds, String topic) throws Exception {
        long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup) + TimeUnit.MILLISECONDS.toNanos(500);
        int total = rate * (warmup + seconds);
        long[][] latencies = new long[clients][];
        AtomicInteger[] counts = new AtomicInteger[clients];
        List<WebSocket> sockets = new ArrayList<>();
        HttpClient wsHttp = HttpClient.newHttpClient();
        for (int c = 0; c < clients; c++) {
            int index = c;
            latencies[c] = new long[total];
            counts[c] = new AtomicInteger();
            CountDownLatch subscribed = new CountDownLatch(1);
            WebSocket socket = wsHttp.newWebSocketBuilder().buildAsync(URI.create(ws + "/topics/ws?token="
                    + jwt(secret, "bench-" + c)), new WebSocket.Listener() {
                private final StringBuilder partial = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        long now = System.nanoTime();
                        String text = partial.toString();
                        partial.setLength(0);
                        if (text.startsWith("{\"type\":\"subscribed\"")) {
                            subscribed.countDown();
                        } else {
                            Matcher m = SENT.matcher(text);
                            if (m.find()) {
                                long sent = Long.parseLong(m.group(1));
                                if (sent >= measureFrom) {
                                    int i = counts[index].getAndIncrement();
                                    if (i < latencies[index].length) {
                                        latencies[index][i] = now - sent;
                                    }
                                }
                            }
                        }
                    }
                    w.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            socket.sendText("{\"type\":\"subscribe\",\"topics\":[\"" + topic + "\"]}", true).get(5, TimeUnit.SECONDS);
            if (!subscribed.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("client " + c + " not subscribed");
            }
            sockets.add(socket);
        }
        HttpClient producer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong rejected = new AtomicLong();
        AtomicLong measuredPublished = new AtomicLong();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        // At most this many requests in flight (so at most this many connections): a producer, not a flood.
        java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(32);
        long start = System.nanoTime();
        long periodNanos = 1_000_000_000L / rate;
        long firstMeasured = 0;
        long lastMeasured = 0;
        for (int i = 0; i < total; i++) {
            long due = start + i * periodNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long sent = System.nanoTime();
            if (sent >= measureFrom) {
                measuredPublished.incrementAndGet();
                if (firstMeasured == 0) {
                    firstMeasured = sent;
                }
                lastMeasured = sent;
            }
            window.acquire();
            String body = "{\"topic\":\"" + topic + "\",\"payload\":{\"t\":" + sent + ",\"text\":\"benchmark message "
                    + i + "\"}}";
            inFlight.add(producer.sendAsync(HttpRequest.newBuilder(URI.create(http + "/api/v1/messages"))
                            .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((r, e) -> {
                        window.release();
                        if (e != null || r.statusCode() != 200) {
                            rejected.incrementAndGet();
                        }
                    }));
            if (inFlight.size() > 20_000) {
                inFlight.removeIf(CompletableFuture::isDone);
            }
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        long expected = measuredPublished.get() * clients;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && Arrays.stream(counts).mapToLong(AtomicInteger::get).sum() < expected) {
            Thread.sleep(50);
        }
        List<Long> all = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int n = Math.min(counts[c].get(), latencies[c].length);
            for (int i = 0; i < n; i++) {
                all.add(latencies[c][i]);
            }
        }
        for (WebSocket s : sockets) {
            s.sendClose(1000, "done");
        }
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        double achieved = measuredPublished.get() / Math.max(1e-9, (lastMeasured - firstMeasured) / 1e9);
        return new Result(rate, clients, measuredPublished.get(), rejected.get(), expected, sorted.length,
                pct(sorted, 0.50), pct(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, achieved);
    }

    static void poll(String http, String key, String secret, int rounds) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String token = jwt(secret, "poller");
        String topic = "poll-" + System.nanoTime();
        send(client, http + "/api/v1/poll?topics=" + topic + "&timeout=0&client_id=p", token, null);
        long[] immediate = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            send(client, http + "/api/v1/messages", key, "{\"topic\":\"" + topic + "\",\"payload\":{\"n\":" + i + "}}");
            long t0 = System.nanoTime();
            String body = send(client, http + "/api/v1/poll?topics=" + topic + "&timeout=30&client_id=p", token, null);
            immediate[i] = System.nanoTime() - t0;
            Matcher id = Pattern.compile("\"message_id\":\"([^\"]+)\"").matcher(body);
            StringBuilder ids = new StringBuilder();
            while (id.find()) {
                ids.append(ids.isEmpty() ? "" : ",").append('"').append(id.group(1)).append('"');
            }
            send(client, http + "/api/v1/ack?client_id=p", token, "{\"message_ids\":[" + ids + "]}");
        }
        long[] woken = new long[Math.max(1, rounds / 3)];
        for (int i = 0; i < woken.length; i++) {
            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return send(client, http + "/api/v1/poll?topics=" + topic + "&timeout=30&client_id=w", token, null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(30);
            long t0 = System.nanoTime();
            send(client, http + "/api/v1/messages", key, "{\"topic\":\"" + topic + "\",\"payload\":{\"w\":" + i + "}}");
            String body = waiting.get(30, TimeUnit.SECONDS);
            woken[i] = System.nanoTime() - t0;
            Matcher id = Pattern.compile("\"message_id\":\"([^\"]+)\"").matcher(body);
            StringBuilder ids = new StringBuilder();
            while (id.find()) {
                ids.append(ids.isEmpty() ? "" : ",").append('"').append(id.group(1)).append('"');
            }
            send(client, http + "/api/v1/ack?client_id=w", token, "{\"message_ids\":[" + ids + "]}");
        }
        Arrays.sort(immediate);
        Arrays.sort(woken);
        System.out.printf("poll with a message pending (answered at once): n=%d p50=%.2f ms p99=%.2f ms%n", rounds,
                pct(immediate, 0.5), pct(immediate, 0.99));
        System.out.printf("poll waiting, publish start to answer: n=%d p50=%.2f ms p99=%.2f ms%n", woken.length,
                pct(woken, 0.5), pct(woken, 0.99));
    }

    private static String send(HttpClient client, String url, String bearer, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearer)
                .timeout(Duration.ofSeconds(60));
        b = body == null ? b.GET() : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** An HS256 JWT for {@code user}, valid for an hour. */
    static String jwt(String secret, String user) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"sub\":\"" + user + "\",\"exp\":" + (System.currentTimeMillis() / 1000 + 3600)
                + "}").getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = b64.encodeToString(mac.doFinal((header + "." + claims).getBytes(StandardCharsets.US_ASCII)));
        return header + "." + claims + "." + signature;
    }
}
