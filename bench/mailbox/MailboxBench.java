// A load client for the mailbox dialect (issue 14), run with the JDK's source launcher, no build:
//   java bench/mailbox/MailboxBench.java --send=ws://127.0.0.1:8080/mailbox/ws --recv=ws://127.0.0.1:8081/mailbox/ws \
//        --senders=8 --recipients=8 --seconds=20 --rate=0 --window=32
// Senders say hello and send to the recipients round robin, keeping at most --window sends unanswered
// each (rate 0 = as fast as send_ok comes back; else --rate sends/s in total, paced). Recipients are
// online (hello'd before the first send) and ack every message they get. Prints sends/s acknowledged
// by send_ok (stored), pushes/s received, and the end-to-end latency (send written → message read,
// one JVM's nanoTime, so both ends are in this process) p50/p90/p99/max.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.concurrent.locks.LockSupport;

public class MailboxBench {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ConcurrentLinkedQueue<Long> LATENCIES = new ConcurrentLinkedQueue<>();
    static final AtomicLong SENT_OK = new AtomicLong(), PUSHED = new AtomicLong(), ERRORS = new AtomicLong();
    static volatile boolean measuring;

    static Map<String, String> args(String[] argv) {
        Map<String, String> m = new HashMap<>();
        for (String a : argv) {
            int eq = a.indexOf('=');
            m.put(a.substring(2, eq), a.substring(eq + 1));
        }
        return m;
    }

    /** One socket; frames reassembled; each whole text frame handed to onFrame on the socket's thread. */
    static final class Client implements WebSocket.Listener {
        final WebSocket ws;
        final java.util.function.Consumer<String> onFrame;
        final StringBuilder partial = new StringBuilder();
        final Object writeLock = new Object();
        CompletableFuture<WebSocket> lastWrite = CompletableFuture.completedFuture(null);

        Client(String uri, java.util.function.Consumer<String> onFrame) {
            this.onFrame = onFrame;
            this.ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(uri), this).join();
        }

        void send(String text) {
            synchronized (writeLock) { // one outstanding write at a time, as the JDK client demands
                lastWrite = lastWrite.thenCompose(w -> ws.sendText(text, true));
            }
        }

        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                onFrame.accept(frame);
            }
            w.request(1);
            return null;
        }
    }

    static String field(String json, String name) {
        int i = json.indexOf("\"" + name + "\":");
        if (i < 0) return null;
        i += name.length() + 3;
        if (json.charAt(i) == '"') return json.substring(i + 1, json.indexOf('"', i + 1));
        int end = i;
        while (end < json.length() && (Character.isDigit(json.charAt(end)) || json.charAt(end) == '-')) end++;
        return json.substring(i, end);
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = args(argv);
        String sendUri = a.getOrDefault("send", "ws://127.0.0.1:8080/mailbox/ws");
        String recvUri = a.getOrDefault("recv", sendUri);
        int senders = Integer.parseInt(a.getOrDefault("senders", "8"));
        int recipients = Integer.parseInt(a.getOrDefault("recipients", "8"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "5"));
        double rate = Double.parseDouble(a.getOrDefault("rate", "0"));
        int window = Integer.parseInt(a.getOrDefault("window", "32"));
        int payloadBytes = Integer.parseInt(a.getOrDefault("payload", "100"));
        String run = Long.toString(System.nanoTime(), 36);

        List<String> names = new ArrayList<>();
        // --offline=N: sends go to N wayfarers who never connect (they queue up: memory per message).
        int offline = Integer.parseInt(a.getOrDefault("offline", "0"));
        for (int o = 0; o < offline; o++) {
            names.add("o" + o + "-" + run);
        }
        long maxSends = Long.parseLong(a.getOrDefault("max-sends", "0"));
        CountDownLatch helloed = new CountDownLatch(recipients + senders);
        List<Client> recv = new ArrayList<>();
        for (int r = 0; r < recipients; r++) {
            String me = "r" + r + "-" + run;
            names.add(me);
            Client[] holder = new Client[1];
            holder[0] = new Client(recvUri, frame -> {
                String type = field(frame, "type");
                if ("hello_ok".equals(type)) { helloed.countDown(); return; }
                if (!"message".equals(type)) { ERRORS.incrementAndGet(); return; }
                byte[] payload = Base64.getDecoder().decode(field(frame, "payload_b64"));
                long sentAt = ByteBuffer.wrap(payload).getLong();
                if (measuring) {
                    PUSHED.incrementAndGet();
                    LATENCIES.add(System.nanoTime() - sentAt);
                }
                holder[0].send("{\"type\":\"ack\",\"msg_id\":\"" + field(frame, "msg_id") + "\"}");
            });
            holder[0].send("{\"type\":\"hello\",\"wayfarer_id\":\"" + me + "\"}");
            recv.add(holder[0]);
        }
        List<Semaphore> windows = new ArrayList<>();
        List<Client> send = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            Semaphore w = new Semaphore(window);
            windows.add(w);
            Client c = new Client(sendUri, frame -> {
                String type = field(frame, "type");
                if ("hello_ok".equals(type)) { helloed.countDown(); return; }
                if ("send_ok".equals(type)) { if (measuring) SENT_OK.incrementAndGet(); }
                else ERRORS.incrementAndGet();
                w.release();
            });
            c.send("{\"type\":\"hello\",\"wayfarer_id\":\"s" + s + "-" + run + "\"}");
            send.add(c);
        }
        if (!helloed.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("hello_ok missing");

        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup + seconds);
        long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
        if (warmup == 0) measuring = true;
        double perSenderInterval = rate > 0 ? 1e9 * senders / rate : 0;
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int me = s;
            threads.add(Thread.ofPlatform().start(() -> {
                long next = System.nanoTime();
                int i = 0;
                byte[] payload = new byte[payloadBytes];
                while (System.nanoTime() < end && (maxSends == 0 || SENT_OK.get() < maxSends)) {
                    if (perSenderInterval > 0) {
                        next += (long) perSenderInterval;
                        long wait = next - System.nanoTime();
                        if (wait > 0) LockSupport.parkNanos(wait);
                    }
                    try {
                        if (!windows.get(me).tryAcquire(1, TimeUnit.SECONDS)) continue;
                    } catch (InterruptedException e) { return; }
                    ByteBuffer.wrap(payload).putLong(System.nanoTime());
                    String to = names.get((me + i++) % names.size());
                    send.get(me).send("{\"type\":\"send\",\"to\":\"" + to + "\",\"ttl_seconds\":3600,\"payload_b64\":\""
                            + Base64.getEncoder().encodeToString(payload) + "\"}");
                }
            }));
        }
        while (System.nanoTime() < measureFrom) Thread.sleep(10);
        measuring = true;
        long t0 = System.nanoTime();
        for (Thread t : threads) t.join();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        measuring = false;
        Thread.sleep(500);
        long[] l = LATENCIES.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "senders=%d recipients=%d window=%d rate=%s payload=%dB seconds=%.1f%n",
                senders, recipients, window, rate > 0 ? String.valueOf(rate) : "max", payloadBytes, elapsed);
        System.out.printf(Locale.ROOT, "stored (send_ok) %.0f/s, pushed %.0f/s, errors %d%n",
                SENT_OK.get() / elapsed, PUSHED.get() / elapsed, ERRORS.get());
        if (l.length > 0) {
            System.out.printf(Locale.ROOT, "end-to-end ms p50 %.2f p90 %.2f p99 %.2f max %.2f (n=%d)%n",
                    l[l.length / 2] / 1e6, l[(int) (l.length * 0.90)] / 1e6, l[(int) (l.length * 0.99)] / 1e6,
                    l[l.length - 1] / 1e6, l.length);
        }
        System.exit(0);
    }
}
