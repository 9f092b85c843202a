package io.relaymesh.bootstrap.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/monitoring/: the alert rules and scrape configurations as Debian's promtool checks them,
 * the alert tests pass, and the dashboard is an importable Grafana dashboard whose every query
 * reads Relaymesh's metrics. That the queries return series from real pods is {@code MonitoringIT}.
 */
class MonitoringFilesTest {
    private static final Set<String> EXPECTED_ALERTS = Set.of("RelaymeshPodDown", "RelaymeshJetStreamBacklog",
            "RelaymeshCircuitOpen", "RelaymeshFramesDropped", "RelaymeshRedisUnreachable", "RelaymeshNatsUnreachable",
            "RelaymeshSlowDelivery", "RelaymeshConfigReloadRejected", "RelaymeshGrpcUnauthenticated");
    /** Where the metrics a panel or an alert may read come from: Relaymesh's own, and the JVM and process ones it exports. */
    private static final Pattern EXPORTED_PREFIX = Pattern.compile("^(relaymesh_|jvm_|process_|system_).*");

    @Test
    void promtool_acceptsTheAlertRules() {
        String output = MonitoringFiles.promtool("check", "rules", "alerts.yml");

        assertTrue(output.contains("SUCCESS: " + EXPECTED_ALERTS.size() + " rules found"), output);
    }

    @Test
    void promtool_passesEveryAlertTest() {
        MonitoringFiles.promtool("test", "rules", "alerts.test.yml");
    }

    @Test
    void promtool_acceptsBothScrapeConfigurations_withTheirRuleFiles() {
        for (String file : List.of("prometheus.yml", "prometheus-local.yml")) {
            String output = MonitoringFiles.promtool("check", "config", file);
            assertTrue(output.contains("SUCCESS: 1 rule files found"), file + " should load alerts.yml:\n" + output);
        }
    }

    @Test
    void theAlertsUsersExpect_areAllThere_eachWithADuration_aSeverity_aSummaryAndADescription() {
        Set<String> names = new HashSet<>();
        for (MonitoringFiles.AlertRule alert : MonitoringFiles.alertRules()) {
            names.add(alert.name());
            Map<?, ?> labels = (Map<?, ?>) alert.rule().get("labels");
            Map<?, ?> annotations = (Map<?, ?>) alert.rule().get("annotations");
            assertTrue(alert.rule().get("for") instanceof String, alert.name() + " has no 'for:'");
            assertTrue(labels != null && Set.of("critical", "warning").contains(labels.get("severity")),
                    alert.name() + " needs severity critical or warning: " + labels);
            assertTrue(annotations != null && annotations.get("summary") instanceof String summary && !summary.isBlank(),
                    alert.name() + " has no summary");
            assertTrue(annotations.get("description") instanceof String description && description.length() > 80,
                    alert.name() + " should say in its description what to do");
            assertTrue(((String) annotations.get("summary")).contains("{{ $labels."),
                    alert.name() + ": the summary should name the pod or consumer it is about");
        }
        assertEquals(EXPECTED_ALERTS, names);
    }

    @Test
    void everyAlert_readsOnlyRelaymeshMetrics_orTheScrapesUp() {
        for (MonitoringFiles.AlertRule alert : MonitoringFiles.alertRules()) {
            Set<String> metrics = MonitoringFiles.metricNames(alert.expr());
            assertFalse(metrics.isEmpty(), alert.name() + " reads no metric: " + alert.expr());
            for (String metric : metrics) {
                assertTrue(metric.equals("up") || metric.startsWith("relaymesh_"),
                        alert.name() + " reads " + metric + ": " + alert.expr());
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlert_isTestedFiring_andNotFiring() {
        Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(DeployFiles.read(MonitoringFiles.ALERT_TESTS));
        Set<String> fired = new HashSet<>();
        Set<String> silent = new HashSet<>();
        for (Map<String, Object> test : (List<Map<String, Object>>) doc.get("tests")) {
            for (Map<String, Object> check : (List<Map<String, Object>>) test.get("alert_rule_test")) {
                List<?> expected = (List<?>) check.get("exp_alerts");
                (expected == null || expected.isEmpty() ? silent : fired).add((String) check.get("alertname"));
            }
        }
        assertEquals(EXPECTED_ALERTS, fired, "alerts.test.yml should show each alert firing");
        assertEquals(EXPECTED_ALERTS, silent, "alerts.test.yml should show each alert not firing");
    }

    @Test
    @SuppressWarnings("unchecked")
    void bothScrapeConfigurations_scrapeTheJobTheAlertsSelect_whereThePodsServeMetrics() {
        RelaymeshConfig image = DeployFiles.imageConfig();
        Map<String, Object> compose = scrapeJob("prometheus.yml");
        Map<String, Object> dns = ((List<Map<String, Object>>) compose.get("dns_sd_configs")).get(0);
        assertEquals(List.of("relaymesh"), dns.get("names"), "the compose service's name");
        assertTrue(ComposeFile.load().serviceNames().contains("relaymesh"), "docker-compose.yml has no relaymesh service");
        assertEquals("A", dns.get("type"));
        assertEquals(image.server().httpPort(), dns.get("port"), "server.http_port of the image");

        Map<String, Object> local = scrapeJob("prometheus-local.yml");
        List<String> targets = (List<String>) ((List<Map<String, Object>>) local.get("static_configs")).get(0).get("targets");
        String script = DeployFiles.read(DeployFiles.DEPLOY.resolve("local-cluster.sh"));
        Matcher ports = Pattern.compile("POD_HTTP_PORTS:-([0-9 ]+)}").matcher(script);
        assertTrue(ports.find(), "local-cluster.sh no longer names its default HTTP ports");
        assertEquals(List.of(ports.group(1).trim().split(" ")).stream().map(p -> "localhost:" + p).toList(), targets);
        for (MonitoringFiles.AlertRule alert : MonitoringFiles.alertRules()) {
            if (alert.expr().contains("job=")) {
                assertTrue(alert.expr().contains("job=\"relaymesh\""), alert.name() + ": " + alert.expr());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> scrapeJob(String file) {
        Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(DeployFiles.read(MonitoringFiles.DIR.resolve(file)));
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) doc.get("scrape_configs");
        assertEquals(1, jobs.size(), file + ": one scrape job");
        assertEquals("relaymesh", jobs.get(0).get("job_name"), file + ": the alerts select job=\"relaymesh\"");
        assertEquals("/metrics", jobs.get(0).getOrDefault("metrics_path", "/metrics"));
        return jobs.get(0);
    }

    @Test
    void theDashboard_asksForItsPrometheus_andEveryPanelQueriesThroughIt() {
        JsonNode dashboard = MonitoringFiles.dashboard();
        JsonNode datasource = null;
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("datasource".equals(variable.path("type").asText())) {
                datasource = variable;
            }
        }
        assertTrue(datasource != null && "prometheus".equals(datasource.path("query").asText()),
                "the dashboard needs a datasource variable of type prometheus, so any Prometheus can be picked");
        String uid = "${" + datasource.path("name").asText() + "}";
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : MonitoringFiles.panels(dashboard)) {
            String title = panel.path("title").asText();
            assertTrue(ids.add(panel.path("id").asInt()), "panel ids must be unique: " + title);
            assertEquals(uid, panel.path("datasource").path("uid").asText(), title + ": datasource");
            assertTrue(panel.path("targets").size() > 0, title + " has no query");
            assertTrue(panel.path("gridPos").has("w") && panel.path("gridPos").has("h"), title + " has no gridPos");
        }
        assertFalse(dashboard.path("title").asText().isBlank());
        assertFalse(dashboard.path("uid").asText().isBlank());
    }

    @Test
    void everyDashboardQuery_readsRelaymeshOrItsJvmAndProcessMetrics_notAConstant() {
        List<String> problems = new ArrayList<>();
        for (MonitoringFiles.PanelQuery query : MonitoringFiles.panelQueries()) {
            Set<String> metrics = MonitoringFiles.metricNames(query.expr());
            if (metrics.isEmpty() || !metrics.stream().allMatch(m -> EXPORTED_PREFIX.matcher(m).matches())) {
                problems.add(query.panel() + ": " + query.expr() + " reads " + metrics);
            }
            MonitoringFiles.withTestVariables(query.expr());
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theDashboardCovers_whatOperatorsLookAt() {
        Set<String> read = new HashSet<>();
        MonitoringFiles.panelQueries().forEach(q -> read.addAll(MonitoringFiles.metricNames(q.expr())));
        for (String metric : List.of("relaymesh_active_connections", "relaymesh_messages_sent_total",
                "relaymesh_delivery_latency_seconds_bucket", "relaymesh_events_handled_total",
                "relaymesh_events_published_total", "relaymesh_jetstream_pending_messages",
                "relaymesh_grpc_messages_sent_total", "relaymesh_grpc_forward_latency_seconds_bucket",
                "relaymesh_grpc_forward_failures_total", "relaymesh_grpc_circuit_state",
                "relaymesh_websocket_messages_dropped_total", "relaymesh_websocket_buffer_used_frames",
                "relaymesh_session_takeovers_total", "relaymesh_state_errors_total", "relaymesh_config_reloads_total",
                "relaymesh_dependency_up", "process_files_open_files", "process_files_max_files",
                "jvm_memory_used_bytes", "process_cpu_usage")) {
            assertTrue(read.contains(metric), "no panel shows " + metric);
        }
    }

    @Test
    void metricNames_findsTheMetrics_andNotFunctionsLabelsRangesOrNumbers() {
        assertEquals(Set.of("relaymesh_delivery_latency_seconds_bucket"), MonitoringFiles.metricNames(
                "histogram_quantile(0.99, sum by (instance, le) (rate(relaymesh_delivery_latency_seconds_bucket"
                        + "{instance=~\"$instance\"}[5m]))) > 1e3"));
        assertEquals(Set.of("up", "relaymesh_cluster_pods"), MonitoringFiles.metricNames(
                "count(up{job=\"relaymesh\"} == 1) > on() group_left max(relaymesh_cluster_pods) or vector(0)"));
        assertEquals(Set.of(), MonitoringFiles.metricNames("vector(1)"));
    }
}
