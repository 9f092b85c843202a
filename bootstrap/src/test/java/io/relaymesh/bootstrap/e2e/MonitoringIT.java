package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.relaymesh.bootstrap.deploy.MonitoringFiles;
import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/monitoring/ against the real thing: two pods of a cluster (real Redis, NATS JetStream,
 * the built jar) with some traffic, scraped every second by Debian's {@code prometheus} loaded
 * with alerts.yml. Every dashboard query returns series, and reads metrics the pods export;
 * every alert reads series that exist, and evaluates without error.
 */
@ExtendWith(RealServices.class)
class MonitoringIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RedisServer redis;
    private static NatsServer nats;
    private static final List<JarProcess> pods = new ArrayList<>();
    private static Process prometheus;
    private static Path prometheusDir;
    private static int prometheusPort;
    /** Every metric name the pods' /metrics show. */
    private static final Set<String> exported = new HashSet<>();

    @BeforeAll
    static void startClusterAndPrometheus() throws Exception {
        Path binary = MonitoringFiles.tool("prometheus");
        redis = RealServices.newRedis();
        nats = RealServices.newNats();
        for (String id : List.of("pod-a", "pod-b")) {
            int port = JarProcess.freePort();
            Map<String, String> env = new HashMap<>(JarProcess.keyedEnv(port));
            env.putAll(GatewayHarness.clusterEnv(id, redis.address(), nats.url()));
            pods.add(JarProcess.start(port, env, 0).awaitUp());
        }
        prometheusDir = Files.createTempDirectory("relaymesh-prometheus");
        prometheusPort = JarProcess.freePort();
        Path config = prometheusDir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - "%s"
                scrape_configs:
                  - job_name: relaymesh
                    static_configs:
                      - targets: ["127.0.0.1:%d", "127.0.0.1:%d"]
                """.formatted(MonitoringFiles.ALERTS.toAbsolutePath(), pods.get(0).port, pods.get(1).port));
        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + prometheusDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true).redirectOutput(prometheusDir.resolve("prometheus.log").toFile()).start();
        GatewayHarness.eventually(Duration.ofSeconds(30), "both pods up in Prometheus:\n" + prometheusLog(),
                () -> prometheus.isAlive() && upTargets() == 2);
        makeTraffic();
        for (JarProcess pod : pods) {
            for (String line : pod.get("/metrics").split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    exported.add(line.split("[{ ]", 2)[0]);
                }
            }
        }
    }

    /**
     * Users of one route on both pods, an admin, published events while Prometheus scrapes: every
     * event is consumed by one pod and forwarded to the other, so counters, histograms and the
     * forwarding series all move within the queries' 30 s range.
     */
    private static void makeTraffic() throws Exception {
        try (WsClient onA = user(0, "alice"); WsClient onB = user(1, "bob"); WsClient admin = admin(1)) {
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 4; i++) {
                    publish(0, "websocket.acme.ops.chats", "{\"event_id\":\"m-" + round + "-" + i + "\"}");
                }
                for (int i = 0; i < 4; i++) {
                    onA.next(Duration.ofSeconds(10));
                    onB.next(Duration.ofSeconds(10));
                }
                Thread.sleep(1_000);
            }
            onA.send("{\"type\":\"ping\"}");
            onA.next(Duration.ofSeconds(5));
            // Let Prometheus scrape what the traffic left (every 1 s) a few times.
            Thread.sleep(3_000);
        }
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (JarProcess pod : pods) {
            pod.close();
        }
        if (nats != null) {
            nats.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (prometheusDir != null) {
            try (Stream<Path> files = Files.walk(prometheusDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void everyDashboardQuery_returnsSeries_ofMetricsThePodsExport() {
        List<String> problems = new ArrayList<>();
        for (MonitoringFiles.PanelQuery query : MonitoringFiles.panelQueries()) {
            String expr = MonitoringFiles.withTestVariables(query.expr());
            Set<String> metrics = MonitoringFiles.metricNames(expr);
            Set<String> unknown = new HashSet<>(metrics);
            unknown.removeAll(exported);
            JsonNode result = query(expr);
            if (metrics.isEmpty() || !unknown.isEmpty()) {
                problems.add(query.panel() + ": " + expr + " reads " + metrics + ", not exported: " + unknown);
            } else if (result.isEmpty()) {
                problems.add(query.panel() + ": " + expr + " returned no series");
            }
        }
        assertEquals(List.of(), problems, "the pods export " + exported.size() + " metrics");
    }

    @Test
    void everyAlert_readsSeriesThatExist_andEvaluatesWithoutError() {
        List<String> problems = new ArrayList<>();
        for (MonitoringFiles.AlertRule alert : MonitoringFiles.alertRules()) {
            for (String metric : MonitoringFiles.metricNames(alert.expr())) {
                // up is the series Prometheus writes for each scrape; every other one comes from the pods.
                if (!metric.equals("up") && !exported.contains(metric)) {
                    problems.add(alert.name() + " reads " + metric + ", which the pods do not export");
                } else if (query("{__name__=\"" + metric + "\", job=\"relaymesh\"}").isEmpty()) {
                    problems.add(alert.name() + " reads " + metric + ", which Prometheus has no series of");
                }
            }
        }
        assertEquals(List.of(), problems);
        GatewayHarness.eventually(Duration.ofSeconds(10), "every alert rule evaluated", () -> ruleHealth().size()
                == MonitoringFiles.alertRules().size() && !ruleHealth().containsValue("unknown"));
        ruleHealth().forEach((name, health) -> assertEquals("ok", health, name + " does not evaluate"));
    }

    @Test
    void theNewGauges_reportTheClusterAsItIs() {
        assertEquals("2", value(query("max(relaymesh_cluster_pods)")), "pods in the directory");
        assertEquals("1", value(query("min(relaymesh_dependency_up{dependency=\"redis\"})")), "redis up");
        assertEquals("1", value(query("min(relaymesh_dependency_up{dependency=\"nats\"})")), "nats up");
        assertEquals("0", value(query("max(relaymesh_jetstream_pending_messages{consumer=\"ws_fanout_chats\"})")),
                "every published event was consumed");
        assertEquals("0", value(query("max(relaymesh_grpc_circuit_state)")), "circuits closed");
    }

    private static String value(JsonNode result) {
        assertEquals(1, result.size(), result.toString());
        return result.get(0).path("value").get(1).asText();
    }

    private static WsClient user(int pod, String user) {
        JarProcess p = pods.get(pod);
        String token = GatewayHarness.json(post(p, "/generate-token", GatewayHarness.GENERAL_KEY,
                "{\"company_id\":\"acme\",\"agent_id\":\"ops\",\"user_id\":\"" + user + "\",\"expires_in_seconds\":600}"))
                .path("token").asText();
        WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + p.port + "/ws/acme/ops?token="
                + GatewayHarness.q(token) + "&x-api-key=" + GatewayHarness.q(GatewayHarness.GENERAL_KEY)));
        client.expectReady();
        return client;
    }

    private static WsClient admin(int pod) {
        JarProcess p = pods.get(pod);
        String token = GatewayHarness.json(post(p, "/admin/generate-token", GatewayHarness.ADMIN_KEY,
                "{\"admin_id\":\"ops\",\"subscribed_company_id\":\"acme\",\"expires_in_seconds\":600}"))
                .path("token").asText();
        WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + p.port + "/ws/admin?token="
                + GatewayHarness.q(token) + "&x-api-key=" + GatewayHarness.q(GatewayHarness.ADMIN_KEY)));
        client.expectReady();
        return client;
    }

    private static void publish(int pod, String subject, String payload) {
        post(pods.get(pod), "/api/v1/publish", GatewayHarness.ADMIN_KEY,
                "{\"subject\":\"" + subject + "\",\"payload\":" + payload + "}");
    }

    private static String post(JarProcess pod, String path, String key, String body) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pod.port + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json").header("X-API-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }

    /** The result of an instant query; fails unless Prometheus answers with success. */
    private static JsonNode query(String expr) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort
                + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10))
                .build());
        JsonNode body = GatewayHarness.json(response.body());
        assertEquals("success", body.path("status").asText(), expr + ": " + response.body());
        return body.path("data").path("result");
    }

    private static long upTargets() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + prometheusPort + "/api/v1/targets")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return 0;
            }
            JsonNode active = GatewayHarness.json(response.body()).path("data").path("activeTargets");
            long up = 0;
            for (JsonNode target : active) {
                up += "up".equals(target.path("health").asText()) ? 1 : 0;
            }
            return up;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Each alert rule's health as Prometheus reports it: ok, err or unknown (not evaluated yet). */
    private static Map<String, String> ruleHealth() {
        JsonNode body = GatewayHarness.json(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort
                + "/api/v1/rules?type=alert")).timeout(Duration.ofSeconds(10)).build()).body());
        Map<String, String> health = new HashMap<>();
        for (JsonNode group : body.path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                health.put(rule.path("name").asText(), rule.path("health").asText()
                        + (rule.path("lastError").asText().isEmpty() ? "" : ": " + rule.path("lastError").asText()));
            }
        }
        return health;
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(request.uri() + " failed:\n" + prometheusLog(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String prometheusLog() {
        try {
            List<String> lines = Files.readAllLines(prometheusDir.resolve("prometheus.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no prometheus log: " + e.getMessage() + ")";
        }
    }
}
