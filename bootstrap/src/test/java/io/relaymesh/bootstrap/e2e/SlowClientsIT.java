package io.relaymesh.bootstrap.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Idle and slow sockets against the built jar at a tiny WebSocket cap (2): the operational
 * endpoints keep answering within a second, and the sockets are cut by the header deadline.
 * Attackers connect from 127.0.0.2/3; the probes from 127.0.0.1 stand for the load balancer.
 */
class SlowClientsIT {
    private static final int HEADER_TIMEOUT_SECONDS = 3;
    private static JarProcess jar;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @BeforeAll
    static void start() throws IOException {
        int port = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(JarProcess.keyedEnv(port));
        env.put("RELAYMESH_SERVER_MAX_CONNECTIONS", "2");
        env.put("RELAYMESH_SERVER_REQUEST_HEADER_TIMEOUT_SECONDS", String.valueOf(HEADER_TIMEOUT_SECONDS));
        jar = JarProcess.start(port, env, 0).awaitUp();
    }

    @AfterAll
    static void stop() throws Exception {
        jar.close();
    }

    @Test
    void seventyIdleSockets_atAWebSocketCapOfTwo_leaveHealthAndMetricsAnswering_andAreCut() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 70; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress("127.0.0.2", 0));
                s.connect(new InetSocketAddress("127.0.0.1", jar.port), 2000);
                idle.add(s);
            }
            assertEquals(200, status("/health"), "health with 70 idle sockets open");
            assertEquals(200, status("/metrics"), "metrics with 70 idle sockets open");
            assertEquals(200, status("/ready"), "ready with 70 idle sockets open");
            int cut = 0;
            for (Socket s : idle) {
                s.setSoTimeout((HEADER_TIMEOUT_SECONDS + 5) * 1000);
                try {
                    if (s.getInputStream().read() == -1) {
                        cut++;
                    }
                } catch (SocketTimeoutException e) {
                    break;
                } catch (IOException e) {
                    cut++;
                }
            }
            assertEquals(70, cut, "every idle socket must be cut by the header deadline");
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        assertTrue(ResourceLimitsIT.counterOf(jar, "relaymesh_header_timeouts_total") >= 70, jar.get("/metrics"));
    }

    @Test
    void slowlorisOnHeaders_isCutByTheHeaderTimeout_whileHealthAnswersWithinASecond() throws Exception {
        try (Socket slow = new Socket()) {
            slow.bind(new InetSocketAddress("127.0.0.3", 0));
            slow.connect(new InetSocketAddress("127.0.0.1", jar.port), 2000);
            slow.setSoTimeout(1000);
            OutputStream out = slow.getOutputStream();
            InputStream in = slow.getInputStream();
            out.write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            boolean cut = false;
            for (int i = 0; i < 30 && !cut; i++) {
                try {
                    out.write("X".getBytes(StandardCharsets.US_ASCII)); // one header byte a second
                    out.flush();
                    cut = in.read() == -1;
                } catch (SocketTimeoutException e) {
                    // still open: probe health, as the load balancer would
                    long t = System.nanoTime();
                    assertEquals(200, status("/health"));
                    assertTrue(System.nanoTime() - t < 1_000_000_000L, "health took over 1 s");
                } catch (IOException e) {
                    cut = true;
                }
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(cut, "the slow client was never cut");
            assertTrue(seconds <= HEADER_TIMEOUT_SECONDS + 3, "cut only after " + seconds + " s");
        }
    }

    private int status(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jar.port + path))
                .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
