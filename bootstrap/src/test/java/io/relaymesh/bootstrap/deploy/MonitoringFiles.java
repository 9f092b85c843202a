package io.relaymesh.bootstrap.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/monitoring/: the Grafana dashboard's queries, the alert rules, the metric names a PromQL
 * expression reads, and Debian's {@code prometheus} / {@code promtool} binaries that check them.
 * Shared by {@link MonitoringFilesTest} and the end-to-end {@code MonitoringIT}.
 */
public final class MonitoringFiles {
    public static final Path DIR = DeployFiles.DEPLOY.resolve("monitoring");
    public static final Path DASHBOARD = DIR.resolve("grafana-dashboard.json");
    public static final Path ALERTS = DIR.resolve("alerts.yml");
    public static final Path ALERT_TESTS = DIR.resolve("alerts.test.yml");
    /** The range Grafana's {@code $__rate_interval} and friends stand for when a test runs a query. */
    public static final String TEST_RANGE = "30s";

    /** One query of one panel. */
    public record PanelQuery(String panel, String expr) {
    }

    /** One alerting rule as alerts.yml writes it. */
    public record AlertRule(String name, String expr, Map<String, Object> rule) {
    }

    private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "by", "without", "on",
            "ignoring", "group_left", "group_right", "offset", "bool", "inf", "nan", "atan2");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)");
    private static final Map<String, String> VARIABLE_VALUES = Map.of(
            "__rate_interval", TEST_RANGE, "__interval", "5s", "__range", TEST_RANGE, "instance", ".*");

    private MonitoringFiles() {
    }

    public static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(DeployFiles.read(DASHBOARD));
        } catch (IOException e) {
            return fail(DeployFiles.describe(DASHBOARD) + " is not valid JSON: " + e.getMessage());
        }
    }

    /** Every panel, rows' nested panels included, without the rows themselves. */
    public static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if ("row".equals(panel.path("type").asText())) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    /** Every target expression of every panel, as written (Grafana variables unreplaced). */
    public static List<PanelQuery> panelQueries() {
        List<PanelQuery> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard())) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new PanelQuery(panel.path("title").asText(), target.path("expr").asText()));
            }
        }
        return queries;
    }

    /** {@code expr} with the Grafana variables replaced as a test runs it; fails on a variable it does not know. */
    public static String withTestVariables(String expr) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = VARIABLE_VALUES.get(name);
            if (value == null) {
                fail("the dashboard query uses $" + name + ", which the tests cannot stand in for: " + expr);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    @SuppressWarnings("unchecked")
    public static List<AlertRule> alertRules() {
        Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(DeployFiles.read(ALERTS));
        List<AlertRule> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                if (rule.containsKey("alert")) {
                    rules.add(new AlertRule((String) rule.get("alert"), String.valueOf(rule.get("expr")), rule));
                }
            }
        }
        return rules;
    }

    /**
     * The metric names a PromQL expression reads: identifiers left once strings, label matchers,
     * ranges and grouping clauses are taken out, that are neither functions (followed by a
     * parenthesis), keywords nor parts of numbers.
     */
    public static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^\\]]*\\]", " ")
                .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String word = m.group();
            boolean function = s.substring(m.end()).stripLeading().startsWith("(");
            boolean number = m.start() > 0 && (Character.isDigit(s.charAt(m.start() - 1)) || s.charAt(m.start() - 1) == '.');
            if (!function && !number && !PROMQL_WORDS.contains(word.toLowerCase())) {
                names.add(word);
            }
        }
        return names;
    }

    /** Debian's binary {@code name} (package prometheus) on PATH or in /usr/bin; fails the test without it. */
    public static Path tool(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/bin");
        for (String dir : dirs) {
            if (!dir.isBlank() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name);
            }
        }
        // Never a skip: the monitoring files would go unchecked without anyone noticing.
        return fail(name + " is not installed; the monitoring tests need Debian's prometheus package: "
                + "apt-get install -y prometheus" + ("true".equals(System.getenv("CI"))
                ? " (.ci/run should have installed it)" : ""));
    }

    /** Runs promtool with {@code args} in deploy/monitoring/; fails with its output unless it exits 0. */
    public static String promtool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(tool("promtool").toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
            assertTrue(process.exitValue() == 0, "in deploy/monitoring: " + String.join(" ", command.subList(1,
                    command.size())) + " exited with " + process.exitValue() + ":\n" + output);
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
