package io.relaymesh.bench.rooms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.bench.load.GatewayPod;
import io.relaymesh.bench.load.Histogram;
import io.relaymesh.bench.support.ChildProcesses;
import io.relaymesh.bench.support.Deadline;
import io.relaymesh.bench.support.Table;

import javax.net.ssl.SSLSocketFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runs of the rooms bench, in order: relay on one pod and across two (a warm-up, then as fast as
 * a window allows, then at a fixed rate), TLS and plain handshakes one after another, and idle
 * memory per peer on fresh pods. Returns the Markdown tables; every number also goes to the JSON.
 */
public final class RoomsRuns {
    /** The bench's options (see RoomsBench). */
    public record Options(int frames, int payloadBytes, int window, int pacedRate, int pacedSeconds, int handshakes,
                          int idlePeers, Path jfr) {
    }

    private static final Duration RUN_LIMIT = Duration.ofSeconds(120);

    private RoomsRuns() {
    }

    /** A self-signed certificate for 127.0.0.1 and its key, made with openssl in {@code dir}: {cert, key}. */
    public static Path[] selfSigned(Path dir) throws Exception {
        return RoomsPods.selfSigned(dir);
    }

    public static String run(GatewayPod.Setup setup, Path cert, Path key, ChildProcesses children, Options o,
                             ObjectNode json) throws Exception {
        SSLSocketFactory tls = RoomsPods.trusting(cert);
        StringBuilder md = new StringBuilder("## Peer rooms (issue 17)\n\n");
        RoomsPods.Pod a = RoomsPods.start("rooms-a", setup, cert, key, Map.of(), children);
        RoomsPods.Pod b = RoomsPods.start("rooms-b", setup, cert, key, Map.of(), children);
        log("pods up: rooms-a (rooms listener %d), rooms-b (rooms listener %d)", a.roomsPort(), b.roomsPort());

        Table relay = new Table("peers", "run", "frames", "lost", "out of order", "frames/s", "MB/s", "p50 ms",
                "p99 ms", "max ms");
        ObjectNode relayJson = json.putObject("relay");
        int topic = 0;
        for (String placement : List.of("same pod", "across pods")) {
            RoomsPods.Pod receiverPod = placement.equals("same pod") ? a : b;
            try (WireClient sender = WireClient.connect(a.roomsPort(), "/", tls);
                 WireClient receiver = WireClient.connect(receiverPod.roomsPort(), "/", tls)) {
                Relay pair = Relay.join(sender, receiver, "bench-" + (topic++), o.payloadBytes());
                pair.run(Math.max(1000, o.frames() / 10), o.window(), 0, RUN_LIMIT); // warm-up, not reported
                Path recording = o.jfr() == null ? null : Path.of(o.jfr() + "-" + key(placement) + ".jfr");
                java.time.Instant from = java.time.Instant.now();
                if (recording != null) {
                    a.pod().startRecording(recording);
                }
                Relay.Result burst = pair.run(o.frames(), o.window(), 0, RUN_LIMIT);
                if (recording != null) {
                    a.pod().stopRecording("bench");
                    ObjectNode profile = io.relaymesh.bench.support.JfrSummary.summarize(recording, from,
                            java.time.Instant.now());
                    relayJson.set(key(placement) + "_profile", profile);
                    md.append("Profile of rooms-a, ").append(placement).append(" throughput run (").append(recording)
                            .append("):\n\n").append(io.relaymesh.bench.support.JfrSummary.markdown(profile, 15))
                            .append('\n');
                }
                row(relay, relayJson.putObject(key(placement) + "_throughput"), placement,
                        "max (window " + o.window() + ")", burst);
                Relay.Result paced = pair.run((long) o.pacedRate() * o.pacedSeconds(), Integer.MAX_VALUE, o.pacedRate(),
                        Duration.ofSeconds(o.pacedSeconds() + 30));
                row(relay, relayJson.putObject(key(placement) + "_paced"), placement, o.pacedRate() + " frames/s", paced);
                log("relay %s: %.0f frames/s, %.1f MB/s; p99 %.2f ms at %d frames/s", placement,
                        burst.framesPerSecond(), burst.megabytesPerSecond(), paced.latency().millis(99), o.pacedRate());
            }
        }
        md.append(String.format(Locale.ROOT, "Relay: one sender, one receiver in a topic of their own, TLS on the rooms "
                + "listener, %d decoded bytes per data frame (%d of base64); latency per hop = receiver's read − sender's "
                + "write, one clock.%n%n", o.payloadBytes(), (o.payloadBytes() + 2) / 3 * 4)).append(relay.render())
                .append('\n');

        Table handshakes = new Table("connection", "count", "mean ms", "p50 ms", "p99 ms", "server CPU ms each");
        ObjectNode handshakeJson = json.putObject("handshakes");
        Histogram tlsTimes = handshakes(a, a.roomsPort(), "/", tls, o.handshakes(), handshakes,
                handshakeJson.putObject("tls"), "wss:// (TLS 1.3, EC P-256)");
        Histogram plainTimes = handshakes(a, a.httpPort(), "/rooms/ws", null, o.handshakes(), handshakes,
                handshakeJson.putObject("plain"), "ws:// (plain)");
        handshakeJson.put("tls_extra_ms", round(tlsTimes.meanMicros() / 1000 - plainTimes.meanMicros() / 1000));
        md.append("Handshakes: one connection after another from one client, connect → 101 → join → joined → close.\n\n")
                .append(handshakes.render()).append('\n');

        Table idle = new Table("peers", "connection", "heap KB per peer", "RSS KB per peer", "Redis bytes per peer");
        ObjectNode idleJson = json.putObject("idle");
        for (boolean secure : new boolean[]{true, false}) {
            RoomsPods.Pod fresh = RoomsPods.start(secure ? "rooms-idle-tls" : "rooms-idle-plain", setup, cert, key,
                    Map.of("RELAYMESH_APP_PING_INTERVAL_SECONDS", "300", "RELAYMESH_APP_PONG_WAIT_SECONDS", "600"),
                    children);
            idle(fresh, secure ? tls : null, o.idlePeers(), idle, idleJson.putObject(secure ? "tls" : "plain"), setup);
            fresh.pod().close();
        }
        md.append("Idle memory: peers joined two to a topic and left idle; the pod's heap after a full GC and its "
                + "RSS, before and after, divided by the peers (a fresh pod each); Redis: used_memory, before and "
                + "after (roster entry, pod index, route).\n\n").append(idle.render());
        return md.toString();
    }

    private static Histogram handshakes(RoomsPods.Pod pod, int port, String path, SSLSocketFactory tls, int count,
                                        Table table, ObjectNode json, String label) throws Exception {
        Histogram times = new Histogram();
        // A few first, unmeasured: the pod's code for this kind of connection is warm.
        for (int i = 0; i < Math.min(50, count); i++) {
            openJoinClose(port, path, tls, "warm-" + i);
        }
        double cpuBefore = pod.pod().cpuSeconds();
        Deadline deadline = Deadline.after(Duration.ofSeconds(120));
        int done = 0;
        for (int i = 0; i < count && !deadline.passed(); i++) {
            long start = System.nanoTime();
            openJoinClose(port, path, tls, "hs-" + i);
            times.record((System.nanoTime() - start) / 1000);
            done++;
        }
        double cpuMs = (pod.pod().cpuSeconds() - cpuBefore) * 1000 / Math.max(1, done);
        table.row(label, done, fmt(times.meanMicros() / 1000), fmt(times.millis(50)), fmt(times.millis(99)), fmt(cpuMs));
        times.summarize(json);
        json.put("server_cpu_ms_each", round(cpuMs));
        log("handshakes %s: mean %.2f ms, p99 %.2f ms, server CPU %.2f ms each", label, times.meanMicros() / 1000,
                times.millis(99), cpuMs);
        return times;
    }

    private static void openJoinClose(int port, String path, SSLSocketFactory tls, String topic) throws Exception {
        try (WireClient client = WireClient.connect(port, path, tls)) {
            client.send("{\"type\":\"join\",\"topic\":\"" + topic + "\"}");
            String joined = client.readText();
            if (joined == null || !joined.contains("\"joined\"")) {
                throw new IllegalStateException("expected joined, got " + joined);
            }
        }
    }

    private static void idle(RoomsPods.Pod pod, SSLSocketFactory tls, int peers, Table table, ObjectNode json,
                             GatewayPod.Setup setup) throws Exception {
        int port = tls != null ? pod.roomsPort() : pod.httpPort();
        String path = tls != null ? "/" : "/rooms/ws";
        openJoinClose(port, path, tls, "warm"); // the code of a join runs once before the baseline
        Thread.sleep(1000);
        Map<String, long[]> classesBefore = pod.pod().classHistogram();
        long heapBefore = pod.pod().gcAndHeapUsedKb();
        long rssBefore = pod.pod().rssKb();
        long redisBefore = RedisInfo.usedMemory(setup.servers().redisAddress());
        List<WireClient> clients = new ArrayList<>(peers);
        Deadline deadline = Deadline.after(Duration.ofSeconds(180));
        try {
            for (int i = 0; i < peers && !deadline.passed(); i++) {
                WireClient client = WireClient.connect(port, path, tls);
                clients.add(client);
                client.send("{\"type\":\"join\",\"topic\":\"idle-" + (i / 2) + "\",\"peerId\":\"p" + i + "\"}");
                String joined = client.readText();
                if (joined == null || !joined.contains("\"joined\"")) {
                    throw new IllegalStateException("peer " + i + " expected joined, got " + joined);
                }
            }
            Thread.sleep(5000);
            Map<String, long[]> classesAfter = pod.pod().classHistogram();
            long heapAfter = pod.pod().gcAndHeapUsedKb();
            long rssAfter = pod.pod().rssKb();
            long redisAfter = RedisInfo.usedMemory(setup.servers().redisAddress());
            int n = clients.size();
            double heapEach = (heapAfter - heapBefore) / (double) n;
            double rssEach = (rssAfter - rssBefore) / (double) n;
            double redisEach = redisBefore < 0 || redisAfter < 0 ? Double.NaN : (redisAfter - redisBefore) / (double) n;
            String label = tls != null ? "wss:// (TLS)" : "ws:// (plain)";
            table.row(n, label, fmt(heapEach), fmt(rssEach), Double.isNaN(redisEach) ? "n/a" : fmt(redisEach));
            json.put("peers", n).put("heap_kb_before", heapBefore).put("heap_kb_after", heapAfter)
                    .put("rss_kb_before", rssBefore).put("rss_kb_after", rssAfter).put("redis_bytes_before", redisBefore)
                    .put("redis_bytes_after", redisAfter).put("heap_kb_per_peer", round(heapEach))
                    .put("rss_kb_per_peer", round(rssEach)).put("redis_bytes_per_peer", round(redisEach));
            log("idle %s: %d peers, heap %.1f KB, RSS %.1f KB, Redis %.0f bytes per peer", label, n, heapEach, rssEach,
                    redisEach);
            com.fasterxml.jackson.databind.node.ArrayNode top = json.putArray("heap_by_class_per_peer");
            classesAfter.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue()[1] - classesBefore.getOrDefault(e.getKey(),
                            new long[]{0, 0})[1]))
                    .sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(15)
                    .forEach(e -> {
                        top.addObject().put("class", e.getKey()).put("bytes_per_peer", round(e.getValue() / (double) n));
                        log("  %-70s %8.0f bytes per peer", e.getKey(), e.getValue() / (double) n);
                    });
        } finally {
            clients.forEach(WireClient::close);
        }
    }

    private static void row(Table table, ObjectNode json, String placement, String run, Relay.Result r) {
        table.row(placement, run, r.frames(), r.lost(), r.outOfOrder(), fmt(r.framesPerSecond()),
                fmt(r.megabytesPerSecond()), fmt(r.latency().millis(50)), fmt(r.latency().millis(99)),
                fmt(r.latency().maxMicros() / 1000));
        json.put("frames", r.frames()).put("lost", r.lost()).put("out_of_order", r.outOfOrder())
                .put("seconds", round(r.seconds())).put("frames_per_second", round(r.framesPerSecond()))
                .put("megabytes_per_second", round(r.megabytesPerSecond())).put("payload_bytes", r.payloadBytes());
        r.latency().summarize(json.putObject("latency"));
    }

    private static String key(String placement) {
        return placement.replace(' ', '_');
    }

    private static String fmt(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }

    private static double round(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[rooms] " + format + "%n", args);
    }
}
