package io.relaymesh.bootstrap.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.relaymesh.bootstrap.config.ConfigLoader;
import io.relaymesh.bootstrap.config.LoadResult;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's deployment files and the configuration they must agree with: paths, reading,
 * and the checks every deploy test needs (is this variable a config key, does this environment
 * give a loadable configuration).
 */
final class DeployFiles {
    /** Surefire runs in the bootstrap module; the repository root is its parent. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent().normalize();
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final Path K8S = DEPLOY.resolve("k8s");
    /** The file the image runs with: RELAYMESH_CONFIG=/app/config/config.yaml, a copy of config/. */
    static final Path CLUSTER_CONFIG = ROOT.resolve("config").resolve("config.yaml");

    /** Valid, distinct auth keys and a cluster secret standing in for the operator's real ones. */
    static final Map<String, String> TEST_KEYS = Map.of(
            "RELAYMESH_AUTH_SECRET_TOKEN", "deployTestApiKey0123456789abcdef",
            "RELAYMESH_AUTH_TOKEN_AES_KEY", "0123456789abcdef".repeat(4),
            "RELAYMESH_AUTH_ADMIN_SECRET_TOKEN", "deployTestAdminKey0123456789abcd",
            "RELAYMESH_AUTH_ADMIN_TOKEN_AES_KEY", "fedcba9876543210".repeat(4),
            "RELAYMESH_SERVER_CLUSTER_SECRET", "deployTestClusterSecret0123456789abcdef");

    private static final String UNKNOWN_VARIABLE = "unknown environment variable";

    /** The configuration key an environment variable sets: RELAYMESH_SERVER_CLUSTER_SECRET → server.cluster_secret. */
    static String configPath(String variable) {
        String rest = variable.substring("RELAYMESH_".length()).toLowerCase(java.util.Locale.ROOT);
        int split = rest.indexOf('_');
        return rest.substring(0, split) + "." + rest.substring(split + 1);
    }

    private DeployFiles() {
    }

    /** {@code file} relative to the repository root, for messages. */
    static String describe(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(ROOT) ? ROOT.relativize(abs).toString() : abs.toString();
    }

    static String read(Path file) {
        assertTrue(Files.isRegularFile(file), describe(file) + " is missing");
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(describe(file) + " cannot be read", e);
        }
    }

    /**
     * The {@code RELAYMESH_*} names in {@code env} that are not configuration keys, as the loader
     * reports them: a typo there would be rejected at start-up (or, worse, ignored).
     */
    static List<String> unknownVariables(Map<String, String> env) {
        return switch (ConfigLoader.load(Optional.empty(), env)) {
            case LoadResult.Loaded loaded -> List.of();
            case LoadResult.Rejected rejected ->
                    rejected.problems().stream().filter(p -> p.contains(UNKNOWN_VARIABLE)).toList();
        };
    }

    /** The configuration {@code file} and {@code env} give; fails the test with every problem if none. */
    static RelaymeshConfig loaded(Optional<Path> file, Map<String, String> env, String what) {
        return switch (ConfigLoader.load(file, env)) {
            case LoadResult.Loaded loaded -> loaded.config();
            case LoadResult.Rejected rejected -> fail(what + " does not give a valid configuration: "
                    + String.join("; ", rejected.problems()));
        };
    }

    /** The problems the loader reports for {@code env} alone (empty when it loads). */
    static List<String> problems(Map<String, String> env) {
        return switch (ConfigLoader.load(Optional.empty(), env)) {
            case LoadResult.Loaded loaded -> List.of();
            case LoadResult.Rejected rejected -> rejected.problems();
        };
    }

    /** config/config.yaml with valid keys: the settings every container starts from. */
    static RelaymeshConfig imageConfig() {
        return loaded(Optional.of(CLUSTER_CONFIG), TEST_KEYS, describe(CLUSTER_CONFIG) + " with auth keys");
    }

    /** A dotenv file: {@code NAME=value} lines; blank lines and {@code #} comments skipped. */
    static Map<String, String> envFile(Path file) {
        Map<String, String> vars = new LinkedHashMap<>();
        List<String> lines = read(file).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                fail(describe(file) + " line " + (i + 1) + ": expected NAME=value, got '" + line + "'");
            }
            vars.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return vars;
    }

    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    /**
     * Compose's interpolation of {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME-default}},
     * {@code ${NAME:?error}}, {@code ${NAME?error}} and {@code $$}, against {@code vars}.
     */
    static String interpolate(String text, Map<String, String> vars, String where) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else {
                String name = m.group(1);
                String op = m.group(2);
                String value = vars.get(name);
                boolean unset = value == null || (op != null && op.startsWith(":") && value.isEmpty());
                if (!unset) {
                    replacement = value;
                } else if (op == null) {
                    replacement = "";
                } else if (op.endsWith("-")) {
                    replacement = m.group(3);
                } else {
                    return fail(where + ": ${" + name + "} is required and not set (" + m.group(3) + ")");
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The variable names {@code text} interpolates. */
    static List<String> interpolatedNames(String text) {
        return VARIABLE.matcher(text).results().filter(r -> r.group(1) != null).map(r -> r.group(1)).toList();
    }

    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+)(ms|h|m|s)");

    /** A Compose/Go duration such as {@code 30s} or {@code 1m30s}. */
    static Duration goDuration(String text, String where) {
        if (!text.matches("(\\d+(ms|h|m|s))+")) {
            fail(where + ": '" + text + "' is not a duration such as 30s or 1m30s");
        }
        Duration total = Duration.ZERO;
        Matcher m = GO_DURATION_PART.matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            });
        }
        return total;
    }
}
