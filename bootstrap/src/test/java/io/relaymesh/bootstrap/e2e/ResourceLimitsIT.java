package io.relaymesh.bootstrap.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks on the resources of the built jar, each from a loopback address of its own (127.0.0.x),
 * so that per-IP limits see separate clients and the probes from 127.0.0.1 stand for the load
 * balancer: idle and slow sockets, per-IP caps on connections, upgrades and requests, forged
 * X-Forwarded-For, a ping flood from a client that never reads, and protocol violations.
 */
class ResourceLimitsIT {
    private static final String TRUSTED_PROXY = "127.0.0.9";
    private static JarProcess jar;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static int users;

    @BeforeAll
    static void start() throws IOException {
        int port = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(JarProcess.keyedEnv(port));
        env.put("RELAYMESH_SERVER_MAX_CONNECTIONS_PER_IP", "5");
        env.put("RELAYMESH_SERVER_UPGRADES_PER_IP_PER_SECOND", "1");
        env.put("RELAYMESH_SERVER_UPGRADE_BURST_PER_IP", "2");
        env.put("RELAYMESH_SERVER_REQUESTS_PER_IP_PER_SECOND", "5");
        env.put("RELAYMESH_SERVER_REQUEST_BURST_PER_IP", "30");
        env.put("RELAYMESH_SERVER_TRUSTED_PROXIES", TRUSTED_PROXY);
        // 127.0.0.1 is the test's own probe and token source: a generous budget of its own.
        jar = JarProcess.start(port, env, 0).awaitUp();
    }

    @AfterAll
    static void stop() throws Exception {
        jar.close();
    }

    @Test
    void connectionsOverThePerIpCap_areAnswered429AndClosed_andCounted() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            // Helidon sets up accepted sockets concurrently: whichever of the six comes last is refused.
            for (int i = 0; i < 6; i++) {
                held.add(connect("127.0.0.4"));
            }
            List<String> refusals = new ArrayList<>();
            for (Socket s : held) {
                s.setSoTimeout(1500);
                String answer = readAll(s);
                if (!answer.isEmpty()) {
                    refusals.add(answer);
                }
            }
            assertEquals(1, refusals.size(), "one of six over a cap of five: " + refusals);
            assertTrue(refusals.get(0).startsWith("HTTP/1.1 429"), refusals.get(0));
            assertTrue(refusals.get(0).contains("max_connections_per_ip"), refusals.get(0));
            assertTrue(rawGet("127.0.0.14", "/health", "").startsWith("HTTP/1.1 200"),
                    "another address is not affected");
            assertTrue(counter("relaymesh_rate_limited_total{what=\"connections\"}") >= 1, metrics());
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void upgradesOverThePerIpRate_areClosedWith4429() throws Exception {
        List<RawWsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                RawWsClient client = new RawWsClient("127.0.0.1", jar.port, userPath(), 0, "127.0.0.5");
                clients.add(client);
                assertTrue(client.readText().contains("\"ready\""));
            }
            RawWsClient third = new RawWsClient("127.0.0.1", jar.port, userPath(), 0, "127.0.0.5");
            clients.add(third);
            String error = third.readText();
            assertTrue(error.contains("RateLimitExceeded") && error.contains("upgrades_per_ip_per_second"), error);
            assertEquals(4429, closeCode(third.read()));
            assertTrue(counter("relaymesh_rate_limited_total{what=\"upgrades\"}") >= 1, metrics());
        } finally {
            for (RawWsClient c : clients) {
                c.close();
            }
        }
    }

    @Test
    void requestsOverThePerIpRate_get429WithJsonAndRetryAfter() throws Exception {
        String last = "";
        for (int i = 0; i < 60 && !last.startsWith("HTTP/1.1 429"); i++) {
            last = rawGet("127.0.0.6", "/health", "");
        }
        assertTrue(last.startsWith("HTTP/1.1 429"), last);
        assertTrue(last.toLowerCase().contains("retry-after: "), last);
        assertTrue(last.contains("\"RateLimitExceeded\"") && last.contains("requests_per_ip_per_second"), last);
        assertTrue(counter("relaymesh_rate_limited_total{what=\"requests\"}") >= 1, metrics());
    }

    @Test
    void xForwardedFor_isHonouredOnlyFromATrustedProxy() throws Exception {
        // An untrusted peer cannot dodge its budget by naming a new client in every request.
        String last = "";
        for (int i = 0; i < 60 && !last.startsWith("HTTP/1.1 429"); i++) {
            last = rawGet("127.0.0.8", "/health", "X-Forwarded-For: 203.0.113." + i + "\r\n");
        }
        assertTrue(last.startsWith("HTTP/1.1 429"), "forged X-Forwarded-For must not help: " + last);
        // Through the trusted proxy, each named client has a budget of its own.
        String viaProxy = "";
        for (int i = 0; i < 60 && !viaProxy.startsWith("HTTP/1.1 429"); i++) {
            viaProxy = rawGet(TRUSTED_PROXY, "/health", "X-Forwarded-For: 198.51.100.1\r\n");
        }
        assertTrue(viaProxy.startsWith("HTTP/1.1 429"), "198.51.100.1 must be limited: " + viaProxy);
        assertTrue(rawGet(TRUSTED_PROXY, "/health", "X-Forwarded-For: 198.51.100.2\r\n").startsWith("HTTP/1.1 200"),
                "another client behind the proxy has its own budget");
        // The left-most entry is the client's own text: the proxy's right-most hop counts.
        String spoofed = rawGet(TRUSTED_PROXY, "/health", "X-Forwarded-For: 198.51.100.3, 198.51.100.1\r\n");
        assertTrue(spoofed.startsWith("HTTP/1.1 429"), "a prepended address must not reset the budget: " + spoofed);
    }

    @Test
    void pingFloodFromAClientThatNeverReads_isCut_andPongsStayBounded() throws Exception {
        try (RawWsClient flooder = new RawWsClient("127.0.0.1", jar.port, userPath(), 4096, "127.0.0.10")) {
            assertTrue(flooder.readText().contains("\"ready\""));
            byte[] ping = RawWsClient.frameBytes(9, new byte[0]);
            byte[] burst = new byte[ping.length * 1000];
            for (int i = 0; i < 1000; i++) {
                System.arraycopy(ping, 0, burst, i * ping.length, ping.length);
            }
            int sent = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            try {
                while (sent < 60_000 && System.nanoTime() < deadline) {
                    flooder.sendRaw(burst);
                    sent += 1000;
                }
            } catch (IOException e) {
                // The server dropped us mid-flood: that is the point.
            }
            long pongs = liveObjects("io.relaymesh.adapters.web.ws.WsConnection$Pong");
            assertTrue(pongs <= 10, "pongs alive after " + sent + " pings: " + pongs);
            assertTrue(counter("relaymesh_rate_limited_total{what=\"pings\"}") >= 1, metrics());
            assertTrue(endsSoon(flooder), "the flooding client must be cut");
        }
        assertEquals(200, jar.health());
    }

    @Test
    void invalidUtf8InATextFrame_closesWith1007() throws Exception {
        try (RawWsClient client = new RawWsClient("127.0.0.1", jar.port, userPath(), 0, "127.0.0.11")) {
            assertTrue(client.readText().contains("\"ready\""));
            client.sendFrame(1, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
            String error = client.readText();
            assertTrue(error.contains("UTF-8"), error);
            assertEquals(1007, closeCode(client.read()));
        }
        assertTrue(counter("relaymesh_websocket_protocol_errors_total{reason=\"invalid_utf8\"}") >= 1, metrics());
    }

    @Test
    void reservedOpcode_closesWith1002_andNoHttpResponseIsWrittenOnTheSocket() throws Exception {
        try (RawWsClient client = new RawWsClient("127.0.0.1", jar.port, userPath(), 0, "127.0.0.12")) {
            assertTrue(client.readText().contains("\"ready\""));
            client.sendFrame(3, "x".getBytes(StandardCharsets.US_ASCII));
            RawWsClient.Frame frame = client.read();
            assertEquals(1, frame.opcode(), "an error frame first, not " + frame.text());
            assertTrue(frame.text().contains("protocol error"), frame.text());
            assertEquals(1002, closeCode(client.read()));
        }
        assertTrue(counter("relaymesh_websocket_protocol_errors_total{reason=\"protocol_violation\"}") >= 1, metrics());
        assertFalse(jar.output().contains("HTTP/1.1 500") || jar.output().contains("\tat io.helidon"),
                "no stack trace for a client's protocol error:\n" + jar.tail(20));
    }

    // --- helpers ---

    private static String userPath() throws Exception {
        String body = "{\"company_id\":\"acme\",\"agent_id\":\"limits\",\"user_id\":\"u" + (users++) + "\"}";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + jar.port + "/generate-token"))
                .header("X-API-Key", GatewayHarness.GENERAL_KEY).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        String token = GatewayHarness.json(response.body()).path("token").asText();
        return "/ws/acme/limits?token=" + GatewayHarness.q(token) + "&x-api-key=" + GatewayHarness.q(GatewayHarness.GENERAL_KEY);
    }

    static Socket connect(String localIp) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(localIp, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", jar.port), 3000);
        socket.setSoTimeout(5000);
        return socket;
    }

    /** One GET over a fresh socket from {@code localIp}; the whole response as text. */
    static String rawGet(String localIp, String path, String extraHeaders) throws IOException {
        try (Socket socket = connect(localIp)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return readAll(socket);
        }
    }

    /**
     * One HTTP response: headers, then Content-Length bytes of body (Helidon keeps a connection
     * open after "Connection: close" until the client closes it, so EOF is not awaited).
     */
    static String readAll(Socket socket) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        try {
            int b;
            while ((b = in.read()) != -1 && out.size() < 65536) {
                out.write(b);
                String text = out.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0) {
                    Matcher length = Pattern.compile("(?i)content-length: *([0-9]+)").matcher(text);
                    int body = length.find() ? Integer.parseInt(length.group(1)) : 0;
                    if (out.size() >= end + 4 + body) {
                        break;
                    }
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // what arrived is the answer
        }
        socket.close();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int closeCode(RawWsClient.Frame frame) {
        assertEquals(8, frame.opcode(), "expected a close frame, got opcode " + frame.opcode() + ": " + frame.text());
        return ((frame.payload()[0] & 0xFF) << 8) | (frame.payload()[1] & 0xFF);
    }

    /** Whether the server ends the connection within 10 s: a close frame, EOF or a reset. */
    private static boolean endsSoon(RawWsClient client) throws IOException {
        client.readTimeout(10_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (System.nanoTime() < deadline) {
                if (client.read().opcode() == 8) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // EOF or reset: dropped
        }
        return false;
    }

    private static String metrics() {
        return jar.get("/metrics");
    }

    static double counter(String series) {
        return counterOf(jar, series);
    }

    /** The value of one series of {@code jar}'s /metrics, or -1 when absent. */
    static double counterOf(JarProcess process, String series) {
        Matcher m = Pattern.compile(Pattern.quote(series) + " ([0-9.eE+-]+)").matcher(process.get("/metrics"));
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    /** Instances of {@code className} alive in the jar's heap (jcmd GC.class_histogram, after a full GC). */
    private long liveObjects(String className) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(jar.process.pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jcmd hung");
        assertTrue(out.contains("num ") || out.contains("#instances"), "jcmd failed: " + out);
        for (String line : out.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 4 && cols[3].equals(className)) {
                return Long.parseLong(cols[1]);
            }
        }
        return 0;
    }
}
